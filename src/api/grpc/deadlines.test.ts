import assert from "node:assert/strict";
import { test } from "node:test";
import { DeadlineQueue } from "./deadlines.js";

test("deadlines - items expire in deadline order, removed ones never", async () => {
  const queue = new DeadlineQueue(5);
  const expired: string[] = [];
  const item = (name: string) => ({ expire: () => expired.push(name) });
  const now = Date.now();
  const late = item("late");
  const early = item("early");
  const removed = item("removed");
  queue.add(late, now + 40);
  queue.add(early, now + 10);
  const ticket = queue.add(removed, now + 20);
  queue.remove(removed, ticket);
  assert.equal(queue.size, 2);
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.deepEqual(expired, ["early", "late"]);
  assert.equal(queue.size, 0);
});

test("deadlines - a deadline never fires early", async () => {
  const queue = new DeadlineQueue(10);
  const keepAlive = setTimeout(() => {}, 1000); // the queue's timer does not hold the process open
  const deadline = Date.now() + 25;
  const firedAt = await new Promise<number>((resolve) =>
    queue.add({ expire: () => resolve(Date.now()) }, deadline),
  );
  clearTimeout(keepAlive);
  assert.ok(firedAt >= deadline);
});
