import fc from 'fast-check';
import { applyAll, freshDb, historyArbitrary, snapshot } from './helpers/history';

test('shuffled duplicated delivery converges', async () => {
  await fc.assert(
    fc.asyncProperty(
      historyArbitrary().chain((events) =>
        fc.tuple(
          fc.constant(events),
          // Every event delivered at least once, some twice, in any order.
          fc.shuffledSubarray(events).chain((extra) => fc.shuffledSubarray([...events, ...extra], { minLength: events.length + extra.length })),
        ),
      ),
      async ([inOrder, delivered]) => {
        const expectedDb = await freshDb();
        const actualDb = await freshDb();
        try {
          await applyAll(expectedDb, inOrder);
          await applyAll(actualDb, delivered);
          expect(await snapshot(actualDb)).toEqual(await snapshot(expectedDb));
        } finally {
          await expectedDb.close();
          await actualDb.close();
        }
      },
    ),
    { numRuns: 300 },
  );
});
