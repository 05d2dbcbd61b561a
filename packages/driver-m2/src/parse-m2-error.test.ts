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

  it("names Ceph's exceptions (ims/exception/file_system_exceptions.py), worded with capitals", () => {
    expect(parseM2Error(info('snapshot Already Exists'))).toMatchObject({ type: 'file_system.ImageExistsException' });
    expect(parseM2Error(info('ubuntu-22.04 is Busy (Could have Clones)'))).toMatchObject({
      type: 'file_system.ImageBusyException',
    });
    expect(parseM2Error(info('d1 has Snapshots'))).toMatchObject({ type: 'file_system.ImageHasSnapshotException' });
    expect(parseM2Error(info('snapshot Not Found'))).toMatchObject({ type: 'NotFoundException' });
    expect(
      parseM2Error(info("[Errno 2] No such file or directory: '/var/lib/tftpboot/pxelinux.cfg/01-aa-bb'")),
    ).toMatchObject({ type: 'OSError.ENOENT' });
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
