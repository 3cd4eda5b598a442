import type { Kysely } from 'kysely';
import type { AdapterTask } from '../adapters/types';
import type { Database } from '../db/types';

export function subjectKey(task: AdapterTask): string {
  switch (task.kind) {
    case 'content':
      return `content:${task.content_id}:${task.locale}`;
    case 'skill':
      return `skill:${task.skill_id}`;
    case 'catalog':
      return 'catalog';
  }
}

/**
 * Records that the LMS must be brought in line with the subject's current state. Requests for one
 * subject coalesce into one row. Each request raises `generation`, so a worker that is running an
 * older request does not mark this one done.
 */
export async function enqueueAdapterTask(trx: Kysely<Database>, task: AdapterTask, now: string): Promise<void> {
  await trx
    .insertInto('adapter_task')
    .values({
      subject_key: subjectKey(task),
      task: JSON.stringify(task),
      status: 'pending',
      generation: 1,
      attempts: 0,
      next_attempt_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('subject_key').doUpdateSet((eb) => ({
        status: 'pending',
        generation: eb('adapter_task.generation', '+', 1),
        attempts: 0,
        next_attempt_at: now,
        updated_at: now,
      })),
    )
    .execute();
}
