/** The emulator refuses the QWC files the Web Connector refuses, before any HTTP call. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseQwc, QwcValidationError, runWebConnectorUpdate } from '../../src/simulator/web-connector/index.js';
import { oracleRuns, specDir } from '../helpers/spec.js';
import { FakeQuickBooks } from './helpers/fake-quickbooks.js';
import { buildQwc, TEST_OWNER_ID } from './helpers/qwc.js';
import { startScriptedQbwcServer, type ScriptedQbwcServer } from './helpers/scripted-qbwc-server.js';

/** A well-formed XML file on disk that is not a QWC file. */
function notAQwcFile(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'qwc-')), 'schema.xsd');
  writeFileSync(file, '<?xml version="1.0"?><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>');
  return file;
}

function problemsOf(xml: string): readonly string[] {
  try {
    parseQwc(xml);
  } catch (error) {
    if (error instanceof QwcValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the QWC file to be refused');
}

describe('parseQwc', () => {
  // The sample QWC files are outside the repository, with Intuit's XSDs.
  test.skipIf(!oracleRuns)("reads Intuit's and the community's sample QWC files", async () => {
    const dir = path.join(specDir!, 'samples', 'qwc');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.qwc'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const qwc = parseQwc(await readFile(path.join(dir, file), 'utf8'));
      expect(qwc.ownerId).toMatch(/^\{.+\}$/);
      expect(qwc.qbType).toBe('QBFS');
    }
    const example = parseQwc(await readFile(path.join(dir, 'example.qwc'), 'utf8'));
    expect(example).toMatchObject({
      appName: 'QuickBooks Integrator',
      appUrl: 'http://localhost/~kpalmer/QuickBooks/example_server_import_invoices.php',
      appDescription: '',
      userName: 'quickbooks',
      scheduler: { runEveryNMinutes: 1 },
      isReadOnly: false,
    });
  });

  test('decodes XML entities in values', () => {
    const qwc = parseQwc(buildQwc('https://sync.example.com/qbwc', { AppName: 'Smith & Sons <Sync>' }));
    expect(qwc.appName).toBe('Smith & Sons <Sync>');
    expect(qwc.ownerId).toBe(TEST_OWNER_ID);
  });

  test.each([
    ['http://localhost:4000/qbwc'],
    ['http://127.0.0.1:4000/qbwc'],
    ['http://[::1]:4000/qbwc'],
    ['https://sync.example.com/qbwc'],
    ['https://ACCOUNTING-PC/qbwc'],
  ])('accepts AppURL %s', (url) => {
    expect(parseQwc(buildQwc(url)).appUrl).toBe(url);
  });

  test.each([
    ['http://sync.example.com/qbwc'],
    ['http://192.168.0.175:3000/api/'],
    ['http://ACCOUNTING-PC/qbwc'],
  ])('refuses plain-http AppURL %s', (url) => {
    expect(problemsOf(buildQwc(url))).toEqual([expect.stringMatching(/uses http:\/\/ on a host other than localhost.*https:\/\//)]);
  });

  test('refuses an AppURL that is not a URL or not http(s)', () => {
    expect(problemsOf(buildQwc('https://x.example.com/qbwc', { AppURL: 'sync.example.com/qbwc', AppSupport: 'https://x.example.com/' }))).toEqual([
      'AppURL "sync.example.com/qbwc" is not an absolute URL',
    ]);
    expect(problemsOf(buildQwc('ftp://sync.example.com/qbwc'))[0]).toMatch(/must use https:\/\//);
  });

  test.each(['AppName', 'AppURL', 'AppDescription', 'AppSupport', 'UserName', 'OwnerID', 'FileID', 'QBType'] as const)(
    'refuses a file without <%s>',
    (element) => {
      const problems = problemsOf(buildQwc('https://sync.example.com/qbwc', { [element]: null }));
      expect(problems).toContain(`required element <${element}> is missing`);
    },
  );

  test('refuses empty required values, but allows an empty AppDescription', () => {
    expect(problemsOf(buildQwc('https://sync.example.com/qbwc', { UserName: '' }))).toEqual(['required element <UserName> is empty']);
    expect(parseQwc(buildQwc('https://sync.example.com/qbwc', { AppDescription: '' })).appDescription).toBe('');
  });

  test('refuses OwnerID / FileID that are not braced GUIDs', () => {
    const problems = problemsOf(
      buildQwc('https://sync.example.com/qbwc', {
        OwnerID: '57F3B9B6-86F1-4fcc-B1FF-966DE1813D20',
        FileID: '{not-a-guid}',
      }),
    );
    expect(problems).toEqual([
      '<OwnerID> "57F3B9B6-86F1-4fcc-B1FF-966DE1813D20" must be a GUID in braces, e.g. {57F3B9B6-86F1-4fcc-B1FF-966DE1813D20}',
      '<FileID> "{not-a-guid}" must be a GUID in braces, e.g. {57F3B9B6-86F1-4fcc-B1FF-966DE1813D20}',
    ]);
  });

  test('refuses AppSupport on another host than AppURL', () => {
    const problems = problemsOf(buildQwc('https://sync.example.com/qbwc', { AppSupport: 'https://support.example.org/help' }));
    expect(problems).toEqual([expect.stringContaining('AppSupport "https://support.example.org/help" is on host "support.example.org" but AppURL is on "sync.example.com"')]);
  });

  test('refuses an unknown QBType, a bad IsReadOnly, and lists every problem at once', () => {
    const error = (() => {
      try {
        parseQwc(buildQwc('http://sync.example.com/qbwc', { QBType: 'QBO', IsReadOnly: 'maybe', FileID: null }));
      } catch (e) {
        return e as QwcValidationError;
      }
      throw new Error('not refused');
    })();
    expect(error).toBeInstanceOf(QwcValidationError);
    expect(error.problems).toHaveLength(4);
    expect(error.message).toMatch(/^The Web Connector would refuse this QWC file:\n {2}- /);
    expect(error.message).toContain('<QBType> "QBO" must be QBFS');
    expect(error.message).toContain('<IsReadOnly> "maybe" must be true or false');
  });

  test('refuses XML that is not well-formed or not a QWC file', () => {
    expect(problemsOf('<QBWCXML><AppName>x</QBWCXML>')[0]).toMatch(/^the file is not well-formed XML/);
    expect(problemsOf('<?xml version="1.0"?><Other/>')).toEqual(['the root element must be <QBWCXML> (found <Other>)']);
  });

  test('refuses an element given twice', () => {
    const xml = buildQwc('https://sync.example.com/qbwc').replace('<UserName>', '<UserName>a</UserName><UserName>');
    expect(problemsOf(xml)).toContain('<UserName> appears 2 times; it must appear once');
  });
});

describe('runWebConnectorUpdate refuses before connecting', () => {
  let server: ScriptedQbwcServer;
  beforeAll(async () => {
    server = await startScriptedQbwcServer();
  });
  afterAll(async () => server.close());

  test('an http AppURL off localhost: clear error, no HTTP call', async () => {
    const url = server.url.replace('127.0.0.1', 'qbwc.example.com');
    await expect(runWebConnectorUpdate({ qwcXml: buildQwc(url), password: 'x', quickbooks: new FakeQuickBooks() })).rejects.toThrow(
      /AppURL "http:\/\/qbwc\.example\.com:\d+\/qbwc" uses http:\/\/ on a host other than localhost/,
    );
    expect(server.calls).toHaveLength(0);
  });

  test('a malformed QWC file read from disk', async () => {
    await expect(
      runWebConnectorUpdate({ qwcPath: notAQwcFile(), password: 'x', quickbooks: new FakeQuickBooks() }),
    ).rejects.toThrow(/root element must be <QBWCXML>/);
    expect(server.calls).toHaveLength(0);
  });

  test('QBPOS and non-Document styles are beyond the emulator', async () => {
    await expect(
      runWebConnectorUpdate({ qwcXml: buildQwc(server.url, { QBType: 'QBPOS' }), password: 'x', quickbooks: new FakeQuickBooks() }),
    ).rejects.toThrow(/QBType QBPOS: the emulator drives QuickBooks Financial Software \(QBFS\) only/);
    await expect(
      runWebConnectorUpdate({ qwcXml: buildQwc(server.url, { Style: 'RPC' }), password: 'x', quickbooks: new FakeQuickBooks() }),
    ).rejects.toThrow(/Style RPC/);
    expect(server.calls).toHaveLength(0);
  });
});
