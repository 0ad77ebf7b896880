import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, executeCommandWithRetry, exists, expectNever, workspaceUri } from '../util';

interface TypegenRunResult {
  ran: boolean;
  reason?: string;
}

const CONFIG_FILE = '.codenav.yaml';
const MARKER = 'typegen-ran.marker';
const OUTPUT = 'frontend/src/generated/codenav-untrusted-api.ts';

describe('untrusted workspace', () => {
  it('is opened untrusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  it('still activates the extension', async () => {
    const extension = await activateExtension();
    assert.strictEqual(extension.isActive, true);
  });

  it('does not run type generation', async function () {
    this.timeout(60_000);
    const config = workspaceUri(CONFIG_FILE);
    const original = (await exists(config)) ? await vscode.workspace.fs.readFile(config) : undefined;
    const script = `require("fs").writeFileSync(${JSON.stringify(MARKER)}, "ran")`;
    const yaml = [
      'typegen:',
      '  enabled: true',
      '  triggers: ["**/*.py"]',
      `  command: ["node", "-e", ${JSON.stringify(script)}]`,
      `  output: ${OUTPUT}`,
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(config, Buffer.from(yaml, 'utf8'));
    try {
      const result = await executeCommandWithRetry<TypegenRunResult>('codenav.typegen.run');
      assert.ok(result, 'codenav.typegen.run resolved to nothing');
      assert.strictEqual(result.ran, false, `typegen ran: ${JSON.stringify(result)}`);
      assert.strictEqual(result.reason, 'untrusted');
      await expectNever(async () => (await exists(workspaceUri(MARKER))) || (await exists(workspaceUri(OUTPUT))), {
        forMs: 3_000,
        message: 'type generation wrote its output in an untrusted workspace',
      });
    } finally {
      if (original) {
        await vscode.workspace.fs.writeFile(config, original);
      } else {
        await vscode.workspace.fs.delete(config);
      }
    }
  });
});
