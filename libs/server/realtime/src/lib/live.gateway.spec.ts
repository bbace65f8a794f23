import { AlertCommands, type AlertCommandResult, AlertCommandsSlot } from '@crowdsafe/server-core';
import { LiveGateway } from './live.gateway';

/** A gateway without Redis (embedded) whose socket server records what it emits. */
function gateway(sockets = 0) {
  const slot = new AlertCommandsSlot();
  const gw = new LiveGateway(slot);
  const emitted: Array<[string, unknown]> = [];
  gw.server = { sockets: new Map(Array.from({ length: sockets }, (_, i) => [`s${i}`, {}])), emit: (ev: string, e: unknown) => emitted.push([ev, e]) } as unknown as LiveGateway['server'];
  return { gw, slot, emitted };
}

class FakeCommands extends AlertCommands {
  readonly calls: string[] = [];
  acknowledge(alertId: string): Promise<AlertCommandResult> {
    this.calls.push(alertId);
    return Promise.resolve(alertId === 'gone' ? { ok: false, status: 404, error: 'alert gone not found' } : { ok: true, alertId });
  }
  resolve(alertId: string): Promise<AlertCommandResult> {
    return Promise.resolve({ ok: true, alertId });
  }
}

describe('LiveGateway: acknowledge_alert through the AlertCommandsSlot', () => {
  it.each([
    ['no alerts module filled the slot', false, { alertId: 'a1' }, { ok: false, error: 'alerts are not available in this process' }, []],
    ['a bad body is refused before the commands', true, { alertId: 7 }, { ok: false, error: 'expected { alertId: string, notes?: string }' }, []],
    ['acknowledged by the commands', true, { alertId: 'a1' }, { ok: true }, ['a1']],
    ["the commands' refusal is answered", true, { alertId: 'gone' }, { ok: false, error: 'alert gone not found' }, ['gone']],
  ] as const)('%s', async (_n, filled, body, ack, calls) => {
    const { gw, slot } = gateway();
    const commands = new FakeCommands();
    if (filled) slot.fill(commands);
    await expect(gw.acknowledgeAlert(body, undefined)).resolves.toEqual(ack);
    expect(commands.calls).toEqual(calls);
  });
});

describe('LiveGateway: report progress and the connected-clients gauge', () => {
  it.each([
    ['no clients', 0],
    ['three clients', 3],
  ])('%s', (_n, n) => {
    expect(gateway(n).gw.connectedClients()).toBe(n);
  });

  it('publishes report_progress to every client', () => {
    const { gw, emitted } = gateway(1);
    const e = { reportId: 'r1', status: 'generating', progress: 40 } as never;
    gw.publishReportProgress(e);
    expect(emitted).toEqual([['report_progress', e]]);
  });
});
