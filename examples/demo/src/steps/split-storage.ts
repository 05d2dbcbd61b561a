import { OcxError } from '@ocx/core';
import { createSplitStore, memoryTarget } from '@ocx/split-storage';
import { dim, green, heading, red } from '../console.js';

const PLAINTEXT = 'patient 4711: BRCA1 c.68_69delAG, consent for research only';

async function* chunks(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text);
}

/**
 * A genomics object split across two non-colluding landlords (@ocx/split-storage): each holds
 * bytes independent of the plaintext; the object comes back only from both; one landlord holding
 * two shares is refused.
 */
export async function showSplitStorage(): Promise<void> {
  heading('Split storage: data no single landlord can read (@ocx/split-storage)');
  const bu = memoryTarget({ landlord: 'bu', organization: 'Boston University' });
  const mghpcc = memoryTarget({ landlord: 'mghpcc', organization: 'MGHPCC' });
  const store = createSplitStore({ targets: [bu, mghpcc], threshold: 2 });
  await store.put('genomes/patient-4711.vcf', chunks(PLAINTEXT));
  for (const target of [bu, mghpcc]) {
    const held = Buffer.concat([...target.objects.values()]);
    const leaks = held.includes(Buffer.from('BRCA1')) || held.includes(Buffer.from('4711: '));
    process.stdout.write(
      `  ${target.landlord.padEnd(7)} holds ${String(held.length).padStart(5)} bytes in ${target.objects.size} objects; plaintext in them: ${leaks ? red('yes') : green('none')}\n`,
    );
  }
  const { body } = await store.get('genomes/patient-4711.vcf');
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  const back = Buffer.concat(parts).toString();
  process.stdout.write(`  read back from both: ${back === PLAINTEXT ? green('identical') : red('DIFFERENT')}\n`);
  try {
    createSplitStore({
      targets: [bu, memoryTarget({ landlord: 'bu', organization: 'Boston University' })],
      threshold: 2,
    });
  } catch (error) {
    const code = OcxError.is(error) ? error.code : 'error';
    process.stdout.write(
      `  ${red('refused')} two shares with one landlord: ${code} ${dim(`(${(error as Error).message.slice(0, 90)})`)}\n`,
    );
  }
}
