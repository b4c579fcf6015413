package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Knative Broker does with a published event, whatever the subscribers are: the event goes through every
 * Trigger whose filter it passes; each delivery runs on its own virtual thread, is retried as the Trigger's
 * {@code spec.delivery} says (retry count, linear or exponential backoff) and, when every attempt failed or one
 * failed for good, is handed to the dead-letter step. It counts deliveries in flight ({@link #awaitIdle}) and shuts
 * down with a grace period. The embedded {@link InProcessEventRouter} (subscribers are Java calls) and the
 * development broker (subscribers are HTTP URLs) are both this engine with their own {@link Subscribers}.
 *
 * @param <A> what one attempt produced (an HTTP answer, a thrown exception)
 */
public final class TriggerDelivery<A extends TriggerDelivery.Attempt> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerDelivery.class);

    /** What one delivery attempt produced. */
    public interface Attempt {
        /** The subscriber took the event. */
        boolean accepted();

        /** A failure worth another attempt (a network error, a 5xx, an exception); false for a final refusal. */
        boolean retryable();

        /** The failure in words, for logs. */
        String describe();
    }

    /** One subscriber of one Trigger: where the event goes, and how one attempt is made. */
    public interface Destination<A> {
        /** One attempt; interrupted only when the engine shuts down. */
        A attempt(CloudEvent event) throws InterruptedException;

        /** The subscriber in words, for logs. */
        String describe();
    }

    /** The subscriber side of a transport: resolving Trigger subscribers and what happens around the attempts. */
    public interface Subscribers<A> {
        /** The destination of {@code trigger}'s subscriber, or empty (the event is then not delivered there). */
        Optional<Destination<A>> resolve(TriggerRule trigger, CloudEvent event);

        /**
         * What an attempt to {@code trigger}'s subscriber waits on for a slot: {@link Gate#of} a semaphore for arrival
         * order (the development broker), or {@link FairGate}, a subscriber's slots shared between jobs (the embedded
         * broker).
         */
        Gate gate(TriggerRule trigger);

        /** A failed attempt standing for a delivery given up because the engine shut down. */
        A interrupted(String why);

        /**
         * A failed, retryable attempt standing for {@code error}, thrown by a destination (an {@link Error}
         * included), so that no throwable makes an event vanish with its delivery thread. By default it is
         * treated like {@link #interrupted} with the error in words.
         */
        default A thrown(Throwable error) {
            return interrupted(String.valueOf(error));
        }

        /**
         * The engine was closing and gave up on the event (an interrupted attempt, or retries that ran out during
         * the shutdown grace): it is neither delivered nor dead-lettered, because a shutdown is not the event's
         * fault. The work stays recorded where it came from (the job store) for the next start. Logged by default.
         */
        default void abandoned(CloudEvent event, TriggerRule trigger, Destination<A> to, int attempts, String why) {
            LOG.warn("Shutting down: {} to {} (trigger {}) left undelivered after {} attempt(s) ({}); "
                            + "it is not dead-lettered, its job resumes on the next start", GeoCropEvents.describe(event),
                    to.describe(), trigger.name(), attempts, why);
        }
        /**
         * Whether a copy of an event (same id) routed while the same event is still pending on the same Trigger (waiting
         * for a slot, or being delivered) is dropped. The embedded broker says yes: its subscribers are idempotent, and
         * the reconciler re-emits a slow job's tiles with their fixed ids, which would otherwise queue a second copy
         * of work already waiting behind the same slots. A Knative Broker keeps copies, and so does the development one.
         */
        default boolean coalescesPending() {
            return false;
        }

        /** The subscriber took the event on attempt {@code attempts}. */
        default void delivered(CloudEvent event, TriggerRule trigger, Destination<A> to, int attempts, A last) {}

        /** An attempt failed; another may follow. */
        default void attemptFailed(CloudEvent event, TriggerRule trigger, Destination<A> to, int attempt,
                                   int maxAttempts, A result) {}

        /** Every attempt failed, or one failed for good: the dead-letter step. */
        void exhausted(CloudEvent event, TriggerRule trigger, Destination<A> to, DeliverySpec spec, int attempts, A last);
    }

    /**
     * Slots for attempts to one subscriber. {@link #acquire} waits for one (interruptibly), {@link #release} gives it
     * back; both are called with the event the attempt is for, so a gate may order waiters by it.
     */
    public interface Gate {
        /** Waits for a slot for an attempt to deliver {@code event}. */
        void acquire(CloudEvent event) throws InterruptedException;

        /** Gives back the slot taken for {@code event}. */
        void release(CloudEvent event);

        /** Slots in arrival order: the permits of {@code permits}. */
        static Gate of(Semaphore permits) {
            return new Gate() {
                @Override
                public void acquire(CloudEvent event) throws InterruptedException {
                    permits.acquire();
                }

                @Override
                public void release(CloudEvent event) {
                    permits.release();
                }
            };
        }
    }

    /**
     * The settings every Trigger-routing transport's builder shares: its Triggers, their retry policy and the
     * shutdown grace. A transport's builder extends it and builds its engine with {@link #engine}.
     *
     * @param <B> the transport's builder
     */
    public abstract static class Settings<B extends Settings<B>> {
        private final List<TriggerRule> triggers;
        private Function<TriggerRule, DeliverySpec> delivery = t -> DeliverySpec.DEFAULT;
        private Duration shutdownGrace = Duration.ofSeconds(10);

        protected Settings(List<TriggerRule> triggers) {
            this.triggers = new java.util.ArrayList<>(Objects.requireNonNull(triggers, "triggers"));
        }

        /** This builder. */
        protected abstract B self();

        /** Adds a Trigger rule (tests add observers this way, like Knative's event-display). */
        public B addTrigger(TriggerRule trigger) {
            triggers.add(Objects.requireNonNull(trigger, "trigger"));
            return self();
        }

        /** A retry policy per Trigger, e.g. {@link KnativeTriggers#deliveryFor} (default {@link DeliverySpec#DEFAULT}). */
        public B delivery(Function<TriggerRule, DeliverySpec> perTrigger) {
            this.delivery = Objects.requireNonNull(perTrigger, "perTrigger");
            return self();
        }

        /**
         * Keeps each Trigger's backoff policy and dead-letter sink but overrides retries and base delay (tests use
         * milliseconds).
         */
        public B retry(int retries, Duration backoffDelay) {
            Function<TriggerRule, DeliverySpec> base = this.delivery;
            this.delivery = t -> base.apply(t).withRetry(retries, backoffDelay);
            return self();
        }

        /** How long closing lets running deliveries finish before interrupting them (default 10 s). */
        public B shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "grace");
            return self();
        }

        /** The engine these settings describe, for a transport named {@code name} with these subscribers. */
        public <A extends Attempt> TriggerDelivery<A> engine(String name, String threadPrefix,
                                                              Subscribers<A> subscribers) {
            return new TriggerDelivery<>(name, threadPrefix, triggers, delivery, subscribers, shutdownGrace);
        }
    }

    private final String name;
    private final List<TriggerRule> triggers;
    private final Function<TriggerRule, DeliverySpec> delivery;
    private final Subscribers<A> subscribers;
    private final Duration shutdownGrace;
    private final ExecutorService executor;
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    private int inFlight;
    /** Trigger name + event id of the deliveries pending, when the subscribers coalesce copies. */
    private final java.util.Set<String> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param name          the transport in words, as messages name it ("in-process broker")
     * @param threadPrefix  prefix of the delivery threads' names
     * @param triggers      the Trigger rules
     * @param delivery      the retry policy of each Trigger
     * @param subscribers   how subscribers are reached
     * @param shutdownGrace how long {@link #close()} lets running deliveries finish
     */
    public TriggerDelivery(String name, String threadPrefix, List<TriggerRule> triggers,
                           Function<TriggerRule, DeliverySpec> delivery, Subscribers<A> subscribers,
                           Duration shutdownGrace) {
        this.name = Objects.requireNonNull(name, "name");
        this.triggers = List.copyOf(triggers);
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadPrefix, 0).factory());
    }

    /** The Trigger rules applied. */
    public List<TriggerRule> triggers() {
        return triggers;
    }

    /** The executor running deliveries (virtual threads), shared with the transport's own I/O. */
    public ExecutorService executor() {
        return executor;
    }

    /** Whether {@link #close()} was called. */
    public boolean closed() {
        return closed;
    }

    /**
     * Starts a delivery of {@code event} to the subscriber of every matching Trigger and returns at once.
     *
     * @throws EventDeliveryException only if the engine is closed
     */
    public void route(CloudEvent event) {
        requireOpen(event);
        boolean matched = false;
        for (TriggerRule trigger : triggers) {
            if (!trigger.matches(event)) {
                continue;
            }
            matched = true;
            Optional<Destination<A>> to = subscribers.resolve(trigger, event);
            to.ifPresent(destination -> start(event, trigger, destination));
        }
        if (!matched) {
            LOG.debug("No trigger matches {}; dropped, as a Broker does", GeoCropEvents.describe(event));
        }
    }

    /**
     * Checks that events are still taken.
     *
     * @throws EventDeliveryException naming {@code event} if the engine is closed
     */
    public void requireOpen(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        if (closed) {
            throw closedFor(event, null);
        }
    }

    /**
     * Waits until no delivery is running or waiting to retry.
     *
     * @return true if idle, false if {@code timeout} passed first
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        idleLock.lock();
        try {
            while (inFlight > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = idle.awaitNanos(remaining);
            }
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    /**
     * Stops accepting events, lets running deliveries finish for the shutdown grace period, then interrupts the
     * rest. What the shutdown cuts short is abandoned ({@link Subscribers#abandoned}), never dead-lettered.
     */
    @Override
    public synchronized void close() {
        if (closed && executor.isTerminated()) {
            return; // closed before (the embedded broker is closed on ShutdownEvent and again as a bean)
        }
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: deliveries still running after {}; interrupting them", name, shutdownGrace);
                executor.shutdownNow();
                executor.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private EventDeliveryException closedFor(CloudEvent event, Throwable cause) {
        return new EventDeliveryException(name, name + " is closed: cannot route " + GeoCropEvents.describe(event), cause);
    }

    private void start(CloudEvent event, TriggerRule trigger, Destination<A> to) {
        DeliverySpec spec = delivery.apply(trigger);
        String pendingKey = trigger.name() + '\u0000' + event.getId();
        boolean coalesce = subscribers.coalescesPending();
        if (coalesce && !pending.add(pendingKey)) {
            LOG.debug("{}: {} is already pending on trigger {}; the copy is dropped", name,
                    GeoCropEvents.describe(event), trigger.name());
            return;
        }
        changeInFlight(+1);
        try {
            executor.execute(() -> {
                try {
                    deliver(event, trigger, to, spec);
                } finally {
                    if (coalesce) {
                        pending.remove(pendingKey);
                    }
                    changeInFlight(-1);
                }
            });
        } catch (RejectedExecutionException e) {
            if (coalesce) {
                pending.remove(pendingKey);
            }
            changeInFlight(-1);
            throw closedFor(event, e);
        }
    }

    /**
     * One event through one Trigger: attempts with backoff, then the dead-letter step; while the engine is closing,
     * a delivery it cannot finish is abandoned ({@link Subscribers#abandoned}) instead of dead-lettered. Nothing a
     * destination throws, an {@link Error} included, escapes without the event being dead-lettered or abandoned
     * in the logs.
     */
    private void deliver(CloudEvent event, TriggerRule trigger, Destination<A> to, DeliverySpec spec) {
        int attempts = 0;
        try {
            Gate gate = subscribers.gate(trigger);
            int maxAttempts = spec.retry() + 1;
            A last = null;
            while (attempts < maxAttempts) {
                if (attempts > 0) {
                    try {
                        Thread.sleep(spec.delayBeforeRetry(attempts));
                    } catch (InterruptedException e) {
                        last = subscribers.interrupted(name + " shut down while waiting to retry");
                        break;
                    }
                }
                attempts++;
                try {
                    gate.acquire(event);
                } catch (InterruptedException e) {
                    last = subscribers.interrupted(name + " shut down before delivery");
                    break;
                }
                try {
                    last = to.attempt(event);
                } catch (InterruptedException e) {
                    last = subscribers.interrupted(name + " shut down during delivery to " + to.describe());
                    break;
                } catch (Throwable e) {
                    // An OutOfMemoryError of this attempt is a failed attempt like any other: its memory is
                    // garbage now, and the retry (or the dead-letter step) keeps the event traceable.
                    last = subscribers.thrown(e);
                } finally {
                    gate.release(event);
                }
                if (last.accepted()) {
                    if (attempts > 1) {
                        LOG.info("Delivered {} to {} via trigger {} on attempt {}", GeoCropEvents.describe(event),
                                to.describe(), trigger.name(), attempts);
                    }
                    subscribers.delivered(event, trigger, to, attempts, last);
                    return;
                }
                subscribers.attemptFailed(event, trigger, to, attempts, maxAttempts, last);
                if (!last.retryable()) {
                    break;
                }
            }
            if (closed) {
                subscribers.abandoned(event, trigger, to, attempts, last == null ? "no attempt" : last.describe());
                return;
            }
            subscribers.exhausted(event, trigger, to, spec, attempts, last);
        } catch (Throwable e) {
            // The dead-letter step itself failed (or an Error hit the engine): the event is at least named here,
            // and the job store still holds its work for the reconciler.
            LOG.error("Delivery of {} (trigger {}) to {} ended without a dead letter after {} attempt(s); "
                    + "the reconciler re-emits its work from the job store", GeoCropEvents.describe(event),
                    trigger.name(), to.describe(), attempts, e);
            if (e instanceof VirtualMachineError fatal && !(e instanceof OutOfMemoryError)) {
                throw fatal;
            }
        }
    }

    private void changeInFlight(int delta) {
        idleLock.lock();
        try {
            inFlight += delta;
            if (inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            idleLock.unlock();
        }
    }
}
