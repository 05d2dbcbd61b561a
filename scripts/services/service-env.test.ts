import { describe, expect, it } from 'vitest';
import { parseEnvLines, swiftInstances } from './service-env.js';

describe('parseEnvLines', () => {
  it('reads KEY=value lines, keeping everything after the first = and ignoring other lines', () => {
    const text = [
      'OCX_RGW_URL=http://127.0.0.1:7480',
      'OCX_SWIFT_UPDATE_USAGE=bash /x/openstack.sh swift-update-usage --a=b',
      '[10:00:00 +   1.0s] a log line',
      'lower_case=ignored',
      '  OCX_PADDED=trimmed  ',
      '',
    ].join('\n');
    expect(parseEnvLines(text)).toEqual({
      OCX_RGW_URL: 'http://127.0.0.1:7480',
      OCX_SWIFT_UPDATE_USAGE: 'bash /x/openstack.sh swift-update-usage --a=b',
      OCX_PADDED: 'trimmed',
    });
  });
});

describe('swiftInstances', () => {
  it("finds swift.sh instances by their AUTH_URL, not openstack.sh's tempauth proxy", () => {
    const env = {
      OCX_SWIFT_A_AUTH_URL: 'http://127.0.0.1:8090/auth/v1.0',
      OCX_SWIFT_EU_WEST_AUTH_URL: 'http://127.0.0.1:8092/auth/v1.0',
      OCX_SWIFT_TEMPAUTH_URL: 'http://127.0.0.1:8080',
      OCX_SWIFT_URL: 'http://127.0.0.1:8081',
    };
    expect(swiftInstances(env).sort()).toEqual(['A', 'EU_WEST']);
  });
});
