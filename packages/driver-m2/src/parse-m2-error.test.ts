import { describe, expect, it } from 'vitest';
import { parseM2Error } from './parse-m2-error.js';

const info = (bodyText: string, contentType = 'text/html; charset=utf-8') => ({
  status: 500,
  headers: {},
  bodyText,
  contentType,
});

describe('parseM2Error', () => {
  it("keeps M2's plain-text message whole and names the exception that words it", () => {
    expect(parseM2Error(info('Got status code 404 from HIL with message : Node n9 does not exist.'))).toEqual({
      message: 'Got status code 404 from HIL with message : Node n9 does not exist.',
      type: 'hil.UnknownException',
    });
    expect(parseM2Error(info('img3 has clones, please deprovision before deleting'))).toMatchObject({
      type: 'ImageHasClonesException',
    });
    expect(parseM2Error(info('genomics-node-01 already exists'))).toMatchObject({ type: 'ImageExistsException' });
  });

  it('keeps an unknown message without inventing a type', () => {
    expect(parseM2Error(info('Target Creation Failed with error tgtd'))).toEqual({
      message: 'Target Creation Failed with error tgtd',
    });
  });

  it('leaves HTML pages and empty bodies to the default parser', () => {
    expect(
      parseM2Error(info('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>400 Bad Request</title>')),
    ).toBeUndefined();
    expect(parseM2Error(info('  '))).toBeUndefined();
  });
});
