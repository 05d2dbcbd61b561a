import { describe, expect, it } from 'vitest';
import { projectAutoCreationRules } from './mapping-rules.js';

describe('projectAutoCreationRules', () => {
  it('maps the user and creates projects with roles, under the given conditions', () => {
    expect(
      projectAutoCreationRules({
        userNameAttribute: 'HTTP_OIDC_EMAIL',
        projects: [
          { name: '{0}', roles: ['member'] },
          { name: 'shared-lab', roles: ['reader'] },
        ],
        conditions: [{ type: 'HTTP_OIDC_ISS', any_one_of: ['https://sso.bu.edu'] }],
        groupIds: ['g1'],
      }),
    ).toEqual([
      {
        local: [
          { user: { name: '{0}', type: 'ephemeral' } },
          {
            projects: [
              { name: '{0}', roles: [{ name: 'member' }] },
              { name: 'shared-lab', roles: [{ name: 'reader' }] },
            ],
          },
          { group: { id: 'g1' } },
        ],
        remote: [{ type: 'HTTP_OIDC_EMAIL' }, { type: 'HTTP_OIDC_ISS', any_one_of: ['https://sso.bu.edu'] }],
      },
    ]);
  });
});
