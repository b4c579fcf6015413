package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A subscriber's delivery slots shared fairly between jobs: at most {@code slots} attempts run at once; the
 * attempts waiting for a slot are queued per job (first come, first served inside a job) and slots are handed out
 * round-robin across the jobs that are waiting. A job of 2 tiles that arrives while a job of 20 is running
 * therefore gets every other slot and finishes after about 4 tile times, not after the 20.
 *
 * <p>The job of an event is {@link JobReferences#jobIdOf} (job submitted, tile requested, the S3 notification of a
 * feature tile); an event of no job (a scored upload) is its own queue, keyed by its subject.
 */
public final class FairGate implements TriggerDelivery.Gate {

    private final int slots;
    private final Function<CloudEvent, String> keyOf;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ArrayDeque<Waiter>> queues = new HashMap<>();
    /** Keys with waiters, in the order they get their next slot. */
    private final ArrayDeque<String> rotation = new ArrayDeque<>();
    private int busy;
    private int waiting;

    /** A gate of {@code slots} concurrent attempts, keyed by the event's job. */
    public FairGate(int slots) {
        this(slots, FairGate::jobKey);
    }

    /** A gate of {@code slots} concurrent attempts, events grouped into queues by {@code keyOf}. */
    public FairGate(int slots, Function<CloudEvent, String> keyOf) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        this.slots = slots;
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
    }

    /** The queue an event waits in: its job id, else its subject, else its id. */
    public static String jobKey(CloudEvent event) {
        Optional<UUID> job = JobReferences.jobIdOf(event);
        if (job.isPresent()) {
            return job.get().toString();
        }
        return event.getSubject() != null ? "subject:" + event.getSubject() : "event:" + event.getId();
    }

    private static final class Waiter {
        final Condition turn;
        boolean granted;

        Waiter(Condition turn) {
            this.turn = turn;
        }
    }

    @Override
    public void acquire(CloudEvent event) throws InterruptedException {
        String key = keyOf.apply(event);
        lock.lockInterruptibly();
        try {
            if (busy < slots && rotation.isEmpty()) {
                busy++;
                return;
            }
            Waiter me = new Waiter(lock.newCondition());
            ArrayDeque<Waiter> queue = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
            if (queue.isEmpty()) {
                rotation.addLast(key);
            }
            queue.addLast(me);
            waiting++;
            try {
                while (!me.granted) {
                    me.turn.await();
                }
            } catch (InterruptedException e) {
                if (me.granted) {
                    // The slot came with the interruption: hand it on rather than leak it.
                    busy--;
                    grantNext();
                } else {
                    waiting--;
                    queue.remove(me);
                    if (queue.isEmpty()) {
                        queues.remove(key);
                        rotation.remove(key);
                    }
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(CloudEvent event) {
        lock.lock();
        try {
            busy--;
            grantNext();
        } finally {
            lock.unlock();
        }
    }

    /** Attempts waiting for a slot now. */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Attempts running now. */
    public int busy() {
        lock.lock();
        try {
            return busy;
        } finally {
            lock.unlock();
        }
    }

    /** The number of concurrent attempts allowed. */
    public int slots() {
        return slots;
    }

    // Under the lock: free slots go to the front key of the rotation, which then moves to the back if it still waits.
    private void grantNext() {
        while (busy < slots && !rotation.isEmpty()) {
            String key = rotation.pollFirst();
            ArrayDeque<Waiter> queue = queues.get(key);
            Waiter next = queue.pollFirst();
            if (queue.isEmpty()) {
                queues.remove(key);
            } else {
                rotation.addLast(key);
            }
            waiting--;
            busy++;
            next.granted = true;
            next.turn.signal();
        }
    }
}
