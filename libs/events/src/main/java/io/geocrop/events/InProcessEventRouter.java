package io.geocrop.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Broker: delivers each published event, asynchronously, to the subscriber of every Trigger
 * whose filter it passes, with the Trigger rules read from the same Knative manifests the cluster applies.
 *
 * <p>Like a Knative Broker it never fails the publisher for a subscriber's sake: an event no Trigger matches
 * is dropped (debug log); an event whose Trigger points at a service not registered in this JVM is kept in
 * a bounded {@link #undeliverable()} list (warned once per service); a subscriber that throws is retried
 * with the Trigger's backoff and then handed to the dead-letter handler.
 *
 * <p>Each delivery runs on its own virtual thread; at most {@code maxConcurrentDeliveries} subscriber calls
 * run at once, the rest wait (parked, cheaply) for a permit.
 */
public final class InProcessEventRouter implements EventPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessEventRouter.class);

    private final List<TriggerRule> triggers;
    private final Function<TriggerRule, DeliverySpec> delivery;
    private final Consumer<DeadLetter> deadLetters;
    private final Semaphore permits;
    private final int undeliverableCapacity;
    private final Duration shutdownGrace;
    private final Clock clock;
    private final ExecutorService executor;
    private final Map<String, EventSubscriber> subscribers = new ConcurrentHashMap<>();
    private final Set<String> warnedServices = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Undeliverable> undeliverable = new ArrayDeque<>();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    private int inFlight;
    private volatile boolean closed;

    private InProcessEventRouter(Builder b) {
        this.triggers = List.copyOf(b.triggers);
        this.delivery = b.delivery;
        this.deadLetters = b.deadLetters;
        this.permits = new Semaphore(b.maxConcurrentDeliveries);
        this.undeliverableCapacity = b.undeliverableCapacity;
        this.shutdownGrace = b.shutdownGrace;
        this.clock = b.clock;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("geocrop-event-", 0).factory());
    }

    /** A router over {@code triggers}; configure retries, dead letters and limits on the builder. */
    public static Builder builder(List<TriggerRule> triggers) {
        return new Builder(triggers);
    }

    /**
     * A router over the manifests' Triggers, retrying each delivery as its Trigger's (or Broker's)
     * {@code spec.delivery} says.
     */
    public static Builder fromManifests(KnativeTriggers manifests) {
        return new Builder(manifests.triggers()).delivery(manifests::deliveryFor);
    }

    /**
     * Registers the handler of a Knative Service: every Trigger whose subscriber is {@code serviceName}
     * delivers to it.
     *
     * @throws IllegalStateException if that service already has a handler
     */
    public void register(String serviceName, EventSubscriber subscriber) {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(subscriber, "subscriber");
        if (subscribers.putIfAbsent(serviceName, subscriber) != null) {
            throw new IllegalStateException("service '" + serviceName + "' already has a subscriber registered");
        }
    }

    /** The Trigger rules this router applies. */
    public List<TriggerRule> triggers() {
        return triggers;
    }

    /**
     * Routes {@code event} to every matching Trigger's subscriber (a copy each) and returns at once.
     *
     * @throws EventDeliveryException only if the router has been closed
     */
    @Override
    public void publish(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        if (closed) {
            throw new EventDeliveryException("in-process broker", "in-process broker is closed: cannot route "
                    + GeoCropEvents.describe(event));
        }
        boolean matched = false;
        for (TriggerRule trigger : triggers) {
            if (!trigger.matches(event)) {
                continue;
            }
            matched = true;
            EventSubscriber subscriber = subscribers.get(trigger.subscriberService());
            if (subscriber == null) {
                keepUndeliverable(event, trigger);
                continue;
            }
            CloudEvent copy = CloudEventBuilder.v1(event).build();
            startDelivery(copy, trigger, subscriber);
        }
        if (!matched) {
            LOG.debug("No trigger matches {}; dropped, as a Broker does", GeoCropEvents.describe(event));
        }
    }

    /** Events that matched a Trigger whose service is not registered here, oldest first (bounded). */
    public List<Undeliverable> undeliverable() {
        synchronized (undeliverable) {
            return List.copyOf(undeliverable);
        }
    }

    /**
     * Waits until no delivery is running or waiting to retry.
     *
     * @return true if the router became idle, false if {@code timeout} passed first
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
     * Stops accepting events, lets running deliveries finish for the shutdown grace period, then interrupts
     * the rest; an interrupted delivery goes to the dead-letter handler.
     */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("In-process broker: deliveries still running after {}; interrupting them", shutdownGrace);
                executor.shutdownNow();
                executor.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void startDelivery(CloudEvent event, TriggerRule trigger, EventSubscriber subscriber) {
        DeliverySpec spec = delivery.apply(trigger);
        changeInFlight(+1);
        try {
            executor.execute(() -> {
                try {
                    deliver(event, trigger, subscriber, spec);
                } finally {
                    changeInFlight(-1);
                }
            });
        } catch (RejectedExecutionException e) {
            changeInFlight(-1);
            throw new EventDeliveryException("in-process broker", "in-process broker is closed: cannot route "
                    + GeoCropEvents.describe(event), e);
        }
    }

    private void deliver(CloudEvent event, TriggerRule trigger, EventSubscriber subscriber, DeliverySpec spec) {
        int attempts = 0;
        Throwable lastError = null;
        int maxAttempts = spec.retry() + 1;
        while (attempts < maxAttempts) {
            if (attempts > 0) {
                try {
                    Thread.sleep(spec.delayBeforeRetry(attempts));
                } catch (InterruptedException e) {
                    lastError = new InterruptedException("in-process broker closed while waiting to retry");
                    break;
                }
            }
            attempts++;
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                lastError = new InterruptedException("in-process broker closed before delivery");
                break;
            }
            try {
                subscriber.handle(event);
                if (attempts > 1) {
                    LOG.info("Delivered {} to {} via trigger {} on attempt {}", GeoCropEvents.describe(event),
                            trigger.subscriberService(), trigger.name(), attempts);
                }
                return;
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal; // out of memory and the like: nothing sensible to retry
                }
                // Any other Error (an AssertionError, a missing class) is a refusal too: retry, then dead-letter,
                // rather than letting the event vanish with the delivery thread.
                lastError = e;
                LOG.debug("Attempt {}/{} to deliver {} to {} via trigger {} failed: {}", attempts, maxAttempts,
                        GeoCropEvents.describe(event), trigger.subscriberService(), trigger.name(), e.toString());
                if (e instanceof InterruptedException) {
                    break;
                }
            } finally {
                permits.release();
            }
        }
        DeadLetter letter = new DeadLetter(event, trigger.name(), trigger.subscriberService(), attempts, lastError);
        try {
            deadLetters.accept(letter);
        } catch (RuntimeException e) {
            LOG.error("Dead-letter handler failed for {} (trigger {}); the event is lost", GeoCropEvents.describe(event),
                    trigger.name(), e);
        }
    }

    private void keepUndeliverable(CloudEvent event, TriggerRule trigger) {
        String service = trigger.subscriberService();
        if (warnedServices.add(service)) {
            LOG.warn("Trigger {} matches {} but no subscriber is registered for service '{}' in this JVM; "
                    + "such events are kept in the undeliverable list", trigger.name(),
                    GeoCropEvents.describe(event), service);
        }
        synchronized (undeliverable) {
            if (undeliverable.size() >= undeliverableCapacity) {
                undeliverable.removeFirst();
            }
            undeliverable.addLast(new Undeliverable(event, trigger.name(), service, clock.instant()));
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

    private static void logDeadLetter(DeadLetter letter) {
        LOG.error("Dead letter: {} was not accepted by service {} (trigger {}) after {} attempts",
                GeoCropEvents.describe(letter.event()), letter.service(), letter.trigger(), letter.attempts(),
                letter.lastError());
    }

    /** Settings of an {@link InProcessEventRouter}. */
    public static final class Builder {
        private final List<TriggerRule> triggers;
        private Function<TriggerRule, DeliverySpec> delivery = t -> DeliverySpec.DEFAULT;
        private Consumer<DeadLetter> deadLetters = InProcessEventRouter::logDeadLetter;
        private int maxConcurrentDeliveries = 32;
        private int undeliverableCapacity = 100;
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();

        private Builder(List<TriggerRule> triggers) {
            this.triggers = new ArrayList<>(Objects.requireNonNull(triggers, "triggers"));
        }

        /** Adds a Trigger rule (tests add observers this way). */
        public Builder addTrigger(TriggerRule trigger) {
            triggers.add(Objects.requireNonNull(trigger, "trigger"));
            return this;
        }

        /** One retry policy for every Trigger (default {@link DeliverySpec#DEFAULT}). */
        public Builder delivery(DeliverySpec spec) {
            Objects.requireNonNull(spec, "spec");
            this.delivery = t -> spec;
            return this;
        }

        /** A retry policy per Trigger, e.g. {@link KnativeTriggers#deliveryFor}. */
        public Builder delivery(Function<TriggerRule, DeliverySpec> perTrigger) {
            this.delivery = Objects.requireNonNull(perTrigger, "perTrigger");
            return this;
        }

        /** Keeps each Trigger's backoff policy but overrides retries and base delay (tests use milliseconds). */
        public Builder retry(int retries, Duration backoffDelay) {
            Function<TriggerRule, DeliverySpec> base = this.delivery;
            this.delivery = t -> base.apply(t).withRetry(retries, backoffDelay);
            return this;
        }

        /** Receives events that every retry failed to deliver (default: logged as errors). */
        public Builder deadLetters(Consumer<DeadLetter> handler) {
            this.deadLetters = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** How many subscriber calls may run at once (default 32). */
        public Builder maxConcurrentDeliveries(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConcurrentDeliveries must be >= 1, got " + max);
            }
            this.maxConcurrentDeliveries = max;
            return this;
        }

        /** How many undeliverable events are kept for diagnostics (default 100; oldest dropped first). */
        public Builder undeliverableCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("undeliverableCapacity must be >= 1, got " + capacity);
            }
            this.undeliverableCapacity = capacity;
            return this;
        }

        /** How long {@link #close()} lets running deliveries finish before interrupting them (default 10 s). */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /** The clock stamping undeliverable events. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the router; register subscribers on it before publishing. */
        public InProcessEventRouter build() {
            return new InProcessEventRouter(this);
        }
    }
}
