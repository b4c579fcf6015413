package io.geocrop.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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
 * <p>Each delivery runs on its own virtual thread. Each subscriber (Knative Service) has its own slots: at most
 * {@link Builder#concurrency} calls to it run at once ({@code maxConcurrentDeliveries} by default), and the calls
 * waiting for a slot are queued per job and served round-robin across jobs ({@link FairGate}), so the tiles of a
 * small job interleave with those of a big one that came first instead of waiting behind all of them.
 *
 * <p>Closing it is not a failure of the events it holds: deliveries still running after the shutdown grace are
 * interrupted and abandoned (logged), not dead-lettered, and their jobs resume from the job store on the next start.
 */
public final class InProcessEventRouter implements EventPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessEventRouter.class);

    private final Consumer<DeadLetter> deadLetters;
    private final Map<String, FairGate> gates = new ConcurrentHashMap<>();
    private final Map<String, Integer> concurrency;
    private final int defaultConcurrency;
    private final int undeliverableCapacity;
    private final Clock clock;
    private final Map<String, EventSubscriber> subscribers = new ConcurrentHashMap<>();
    private final Set<String> warnedServices = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Undeliverable> undeliverable = new ArrayDeque<>();
    private final TriggerDelivery<Call> engine;

    private InProcessEventRouter(Builder b) {
        this.deadLetters = b.deadLetters;
        this.defaultConcurrency = b.maxConcurrentDeliveries;
        this.concurrency = Map.copyOf(b.concurrency);
        this.undeliverableCapacity = b.undeliverableCapacity;
        this.clock = b.clock;
        this.engine = b.engine("in-process broker", "geocrop-event-", new LocalSubscribers());
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
        return engine.triggers();
    }

    /**
     * Routes {@code event} to every matching Trigger's subscriber (a copy each) and returns at once.
     *
     * @throws EventDeliveryException only if the router has been closed
     */
    @Override
    public void publish(CloudEvent event) {
        engine.route(event);
    }

    /** Calls to {@code service} waiting for one of its slots now (0 for a service that never had an event). */
    public int waiting(String service) {
        FairGate gate = gates.get(service);
        return gate == null ? 0 : gate.waiting();
    }

    /** Calls to {@code service} running now. */
    public int running(String service) {
        FairGate gate = gates.get(service);
        return gate == null ? 0 : gate.busy();
    }

    /** How many calls to {@code service} may run at once. */
    public int concurrency(String service) {
        return concurrency.getOrDefault(service, defaultConcurrency);
    }

    private FairGate gateOf(String service) {
        return gates.computeIfAbsent(service, s -> new FairGate(concurrency(s)));
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
        return engine.awaitIdle(timeout);
    }

    /**
     * Stops accepting events, lets running deliveries finish for the shutdown grace period, then interrupts
     * the rest; what the shutdown cuts short is logged and left to the job store, not dead-lettered.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** One call of a subscriber: nothing thrown, or what it threw. */
    private record Call(Throwable error) implements TriggerDelivery.Attempt {
        @Override
        public boolean accepted() {
            return error == null;
        }

        @Override
        public boolean retryable() {
            return !(error instanceof InterruptedException);
        }

        @Override
        public String describe() {
            return String.valueOf(error);
        }
    }

    /** Subscribers are the handlers registered in this JVM, called directly. */
    private final class LocalSubscribers implements TriggerDelivery.Subscribers<Call> {
        @Override
        public Optional<TriggerDelivery.Destination<Call>> resolve(TriggerRule trigger, CloudEvent event) {
            EventSubscriber subscriber = subscribers.get(trigger.subscriberService());
            if (subscriber == null) {
                keepUndeliverable(event, trigger);
                return Optional.empty();
            }
            String service = trigger.subscriberService();
            return Optional.of(new TriggerDelivery.Destination<>() {
                @Override
                public Call attempt(CloudEvent original) {
                    CloudEvent copy = CloudEventBuilder.v1(original).build();
                    try {
                        subscriber.handle(copy);
                        return new Call(null);
                    } catch (Throwable e) {
                        // Any Error too (an OutOfMemoryError of this tile, an AssertionError, a missing class) is a
                        // refusal: retried, then dead-lettered, never an event vanishing with its delivery thread.
                        // The failed attempt's memory is garbage once we are here.
                        return new Call(e);
                    }
                }

                @Override
                public String describe() {
                    return service;
                }
            });
        }

        @Override
        public TriggerDelivery.Gate gate(TriggerRule trigger) {
            return gateOf(trigger.subscriberService());
        }

        @Override
        public boolean coalescesPending() {
            return true;
        }

        @Override
        public Call interrupted(String why) {
            return new Call(new InterruptedException(why));
        }

        @Override
        public Call thrown(Throwable error) {
            return new Call(error);
        }

        @Override
        public void attemptFailed(CloudEvent event, TriggerRule trigger, TriggerDelivery.Destination<Call> to,
                                  int attempt, int maxAttempts, Call result) {
            LOG.debug("Attempt {}/{} to deliver {} to {} via trigger {} failed: {}", attempt, maxAttempts,
                    GeoCropEvents.describe(event), to.describe(), trigger.name(), result.describe());
        }

        @Override
        public void exhausted(CloudEvent event, TriggerRule trigger, TriggerDelivery.Destination<Call> to,
                              DeliverySpec spec, int attempts, Call last) {
            deadLetters.accept(new DeadLetter(event, trigger.name(), trigger.subscriberService(), attempts,
                    last == null ? null : last.error()));
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

    private static void logDeadLetter(DeadLetter letter) {
        LOG.error("Dead letter: {} was not accepted by service {} (trigger {}) after {} attempts",
                GeoCropEvents.describe(letter.event()), letter.service(), letter.trigger(), letter.attempts(),
                letter.lastError());
    }

    /** Settings of an {@link InProcessEventRouter}. */
    public static final class Builder extends TriggerDelivery.Settings<Builder> {
        private Consumer<DeadLetter> deadLetters = InProcessEventRouter::logDeadLetter;
        private int maxConcurrentDeliveries = 32;
        private final Map<String, Integer> concurrency = new java.util.HashMap<>();
        private int undeliverableCapacity = 100;
        private Clock clock = Clock.systemUTC();

        private Builder(List<TriggerRule> triggers) {
            super(triggers);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** One retry policy for every Trigger (default {@link DeliverySpec#DEFAULT}). */
        public Builder delivery(DeliverySpec spec) {
            Objects.requireNonNull(spec, "spec");
            return delivery(t -> spec);
        }

        /** Receives events that every retry failed to deliver (default: logged as errors). */
        public Builder deadLetters(Consumer<DeadLetter> handler) {
            this.deadLetters = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * How many calls to {@code service} may run at once (default {@link #maxConcurrentDeliveries}); the calls
         * waiting are served round-robin across jobs.
         */
        public Builder concurrency(String service, int slots) {
            Objects.requireNonNull(service, "service");
            if (slots < 1) {
                throw new IllegalArgumentException("concurrency of " + service + " must be >= 1, got " + slots);
            }
            concurrency.put(service, slots);
            return this;
        }

        /** How many calls to one subscriber may run at once unless {@link #concurrency} says otherwise (default 32). */
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
