import { registerEnumType } from '@nestjs/graphql';

export enum Tenure {
  OWNER = 'OWNER',
  TENANT = 'TENANT',
}

registerEnumType(Tenure, {
  name: 'Tenure',
  description: 'Whether a household owns or rents its flat.',
  valuesMap: { OWNER: { description: '业主' }, TENANT: { description: '租户' } },
});
