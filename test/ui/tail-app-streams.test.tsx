import { describe, expect, it } from 'vitest';
import { assignTableColors } from '../../src/render/table-colors.js';
import { batch, insert, settle, startView as start, useViewClock } from './tail-app-harness.js';

useViewClock();

/** A record of table `table`, as a reader of that table's stream yields it. */
const of = (table: string, pk: string) => ({ ...insert(pk), table });

describe('TailApp with several streams: the log', () => {
  it('writes each table\'s name in its colour, the same for every record of it', async () => {
    const { source, app } = start({ stream: 'Users, Orders', color: true, keepTable: true, tableColors: assignTableColors(['Users', 'Orders']) });
    source.push(batch(of('Users', 'alice'), of('Orders', 'o-1'), of('Users', 'bob')));
    await settle();
    const log = app.frames.filter((f) => f.includes('INSERT')).join('');
    const headers = log.split('\n').filter((line) => line.includes('INSERT'));
    expect(headers).toHaveLength(3);
    expect(headers[0]).toContain('\u001b[1m\u001b[36mUsers\u001b[39m\u001b[22m');
    expect(headers[1]).toContain('\u001b[1m\u001b[35mOrders\u001b[39m\u001b[22m');
    expect(headers[2]).toContain('\u001b[1m\u001b[36mUsers\u001b[39m\u001b[22m');
  });

  it('writes no colour at all with colour off', async () => {
    const { source, app } = start({ stream: 'Users, Orders', color: false, keepTable: true, tableColors: assignTableColors(['Users', 'Orders']) });
    source.push(batch(of('Users', 'alice'), of('Orders', 'o-1')));
    await settle();
    const log = app.frames.filter((f) => f.includes('INSERT')).join('');
    expect(log).toContain('Orders');
    expect(log).not.toContain('\u001b[');
  });
});
