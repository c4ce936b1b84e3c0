import { useEffect, useState } from 'react';

// A router of a few lines: the console has a handful of screens, and the gateway answers every client route with the
// page (SPA fallback), so plain history URLs are enough without a routing library.
const listeners = new Set<() => void>();

export function navigate(path: string): void {
  history.pushState(null, '', path);
  listeners.forEach((listener) => listener());
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    const update = () => setPath(location.pathname + location.search);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}
