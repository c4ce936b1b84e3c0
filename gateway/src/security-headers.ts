import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Helmet's headers on every answer of the gateway (HSTS, nosniff, frame and referrer policies, cross-origin
 * isolation headers) with a Content-Security-Policy that allows nothing to load: the gateway answers JSON, CSV,
 * photos and calendars, never pages of its own. A page a service renders (the printable monthly report) brings its
 * own, narrower policy, which replaces this one on the way through.
 */
const STRICT_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

const APOLLO_CDNS = [
  'https://apollo-server-landing-page.cdn.apollographql.com',
  'https://embeddable-sandbox.cdn.apollographql.com',
  'https://embeddable-explorer.cdn.apollographql.com',
];

/**
 * Outside production `GET /graphql` in a browser is Apollo's landing page (the Sandbox, from Apollo's CDN, in a
 * frame). The page carries its own policy with a fresh nonce for its inline script and style; this header adds the
 * rest (where it may connect, frame and load from) and lets inline code through only as far as that nonce policy
 * does: a browser enforces both.
 */
const LANDING_PAGE_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'", ...APOLLO_CDNS],
    styleSrc: ["'self'", "'unsafe-inline'", ...APOLLO_CDNS, 'https://fonts.googleapis.com'],
    fontSrc: ["'self'", 'https://fonts.gstatic.com'],
    imgSrc: ["'self'", 'data:', 'https://apollo-server-landing-page.cdn.apollographql.com'],
    manifestSrc: ['https://apollo-server-landing-page.cdn.apollographql.com'],
    frameSrc: ['https://sandbox.embed.apollographql.com', 'https://explorer.embed.apollographql.com'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** Security headers for every route; production serves no landing page, so the strict policy covers /graphql too. */
export function securityHeaders(production: boolean): RequestHandler {
  const strict = helmet({ contentSecurityPolicy: STRICT_CSP });
  if (production) return strict;
  const landingPage = helmet({ contentSecurityPolicy: LANDING_PAGE_CSP });
  return (req, res, next) => (req.path === '/graphql' && req.method === 'GET' ? landingPage : strict)(req, res, next);
}
