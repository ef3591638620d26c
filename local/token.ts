/** `npm run token -- --sub alice --roles evt_mgmt_operator[,…] [--ttl 3600]`: a local HS256 JWT. */
import { parseArgs } from 'node:util';
import { signLocalToken } from './tokens.js';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    roles: { type: 'string', default: '' },
    ttl: { type: 'string', default: '3600' },
  },
});
if (!values.sub) {
  console.error('usage: npm run token -- --sub alice --roles evt_mgmt_operator[,sn_customerservice_agent] [--ttl seconds]');
  process.exit(2);
}
const roles = values.roles.split(',').map((r) => r.trim()).filter(Boolean);
console.log(await signLocalToken({ sub: values.sub, roles, ttlSeconds: Number(values.ttl) }));
