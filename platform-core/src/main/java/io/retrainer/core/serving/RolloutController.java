package io.retrainer.core.serving;

import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.retrainer.api.ModelRef;
import io.retrainer.api.RolloutOutcome;
import io.retrainer.api.RolloutPlan;
import io.retrainer.core.ConflictException;
import io.retrainer.core.NotFoundException;
import io.retrainer.core.metrics.PlatformMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blue-green rollouts with health gates. The new version goes into the idle slot (optionally
 * first as a shadow), then takes the plan's traffic steps one interval at a time. Before each
 * next step a gate compares the new slot with the old one over that interval: error rate, p99
 * latency, and live quality where enough feedback exists. A failed gate sends all traffic back
 * to the old slot at once. Operators can promote now, pause, resume or abort.
 */
public final class RolloutController {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutController.class);
    private static final long POLL_MS = 50;
    /** Fewer requests than this in a slot during a step makes the latency and error gates inconclusive (passed). */
    static final int MIN_REQUESTS_FOR_GATE = 20;
    /**
     * Latency differences below this are noise, whatever the ratio: a freshly loaded model's
     * first calls (class loading, JIT) put a few milliseconds into a sub-millisecond p99.
     */
    static final double LATENCY_SLACK_MS = 10.0;

    private final ServingService serving;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final Map<String, RolloutStatus> last = new ConcurrentHashMap<>();
    private final Gauge traffic;
    private final Counter outcomes;
    private volatile QualityProbe quality = QualityProbe.none();
    private volatile io.retrainer.core.notify.Notifier notifier;

    /** A controller over {@code serving}, exporting its state to {@code metrics}. */
    public RolloutController(ServingService serving, PlatformMetrics metrics) {
        this.serving = serving;
        this.traffic = Gauge.build("retrainer_rollout_traffic_percent", "Share of an endpoint's traffic per slot")
                .labelNames("endpoint", "slot").register(metrics.registry());
        this.outcomes = Counter.build("retrainer_rollouts_total", "Rollouts ended, by outcome (completed, rolled_back, aborted)")
                .labelNames("endpoint", "outcome").register(metrics.registry());
    }

    /** Where live quality comes from (the monitoring service); without it quality gates are skipped. */
    public void useQualityProbe(QualityProbe probe) {
        this.quality = probe;
    }

    /** Where deployment events go (steps, rollbacks, completions). */
    public void useNotifier(io.retrainer.core.notify.Notifier notifier) {
        this.notifier = notifier;
    }

    /** Operator commands. */
    public enum Command {
        PROMOTE, PAUSE, RESUME, ABORT
    }

    private static final class Active {
        final List<String> events = new ArrayList<>();
        volatile Command command;
        volatile boolean paused;
        volatile String phase = "starting";
        volatile int percent;
        String slot;
        Integer fromVersion;
    }

    /**
     * Rolls {@code model} out at {@code endpoint}. Blocking (the deploy stage's thread).
     *
     * @return completed, or rolled back / aborted with the reason
     */
    public RolloutOutcome rollout(String endpoint, ModelRef model, RolloutPlan plan, BiConsumer<Double, String> progress,
                                  BooleanSupplier cancelled) throws Exception {
        Optional<ServedModel> stable = serving.served(endpoint);
        if (stable.isEmpty() || plan.isImmediate()) {
            serving.activate(endpoint, model);
            setTraffic(endpoint);
            return new RolloutOutcome(true, stable.isEmpty() ? "first version at " + endpoint + ": activated at once"
                    : "activated at once (steps [100])");
        }
        ServedModel next = serving.load(model);
        Active a = new Active();
        a.fromVersion = stable.get().ref().version();
        if (active.putIfAbsent(endpoint, a) != null) {
            throw new ConflictException("endpoint '" + endpoint + "' already has a rollout in progress");
        }
        Instant started = Instant.now();
        try {
            note(endpoint, model, a, "rollout", "rollout of " + model + " replacing v" + a.fromVersion + " started: steps "
                    + plan.steps() + ", " + plan.stepInterval().toSeconds() + " s each");
            if (plan.shadowFraction() > 0) {
                a.phase = "shadow";
                a.slot = serving.startShadow(endpoint, next, plan.shadowFraction());
                publish(endpoint, model, plan, a, started);
                progress.accept(0.0, "shadow: mirroring " + Math.round(plan.shadowFraction() * 100) + "% of traffic");
                Outcome o = waitStep(endpoint, a, plan.shadowDuration(), cancelled, plan, model, started);
                if (o != null) {
                    return end(endpoint, model, a, o, plan, started);
                }
            }
            for (int i = 0; i < plan.steps().size(); i++) {
                int pct = plan.steps().get(i);
                if (pct == 100) {
                    break;
                }
                if (a.percent == 0) {
                    a.slot = serving.startCanary(endpoint, next, pct);
                } else {
                    serving.setCanaryPercent(endpoint, pct);
                }
                a.percent = pct;
                a.phase = "canary";
                Instant stepStart = Instant.now();
                setTraffic(endpoint);
                note(endpoint, model, a, "step", "traffic " + pct + "% to v" + model.version() + " (" + a.slot + ")");
                publish(endpoint, model, plan, a, started);
                progress.accept((double) (i + 1) / plan.steps().size(), "traffic " + pct + "% to the new version");
                Outcome o = waitStep(endpoint, a, plan.stepInterval(), cancelled, plan, model, started);
                if (o != null) {
                    return end(endpoint, model, a, o, plan, started);
                }
                String failed = gate(endpoint, a, plan, model, stepStart);
                if (failed != null) {
                    return end(endpoint, model, a, new Outcome("rolled_back", "gate failed at " + pct + "%: " + failed), plan, started);
                }
            }
            if (a.percent == 0) {
                a.slot = serving.startCanary(endpoint, next, 100);
            }
            return end(endpoint, model, a, new Outcome("completed", "v" + model.version() + " takes all traffic after "
                    + plan.steps()), plan, started);
        } finally {
            active.remove(endpoint);
        }
    }

    private record Outcome(String kind, String reason) {
    }

    /** Waits out a step, obeying operator commands; returns an outcome if the rollout must end now. */
    private Outcome waitStep(String endpoint, Active a, Duration length, BooleanSupplier cancelled, RolloutPlan plan,
                             ModelRef model, Instant started) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end || a.paused) {
            Command c = a.command;
            a.command = null;
            if (c == Command.ABORT) {
                return new Outcome("aborted", "aborted by an operator at " + a.percent + "%");
            }
            if (c == Command.PROMOTE) {
                note(endpoint, model, a, "promote-now", "promoted by an operator at " + a.percent + "%");
                return new Outcome("completed", "promoted by an operator at " + a.percent + "%");
            }
            if (c == Command.PAUSE && !a.paused) {
                a.paused = true;
                a.phase = "paused";
                note(endpoint, model, a, "pause", "paused by an operator at " + a.percent + "%");
                publish(endpoint, model, plan, a, started);
            }
            if (c == Command.RESUME && a.paused) {
                a.paused = false;
                a.phase = a.percent == 0 ? "shadow" : "canary";
                end = System.nanoTime() + length.toNanos();
                note(endpoint, model, a, "resume", "resumed by an operator at " + a.percent + "%");
                publish(endpoint, model, plan, a, started);
            }
            if (cancelled.getAsBoolean()) {
                return new Outcome("aborted", "the deploy stage was cancelled at " + a.percent + "%");
            }
            Thread.sleep(POLL_MS);
        }
        return null;
    }

    /** Compares the new slot with the old one over the step; the reason it failed, or null. */
    String gate(String endpoint, Active a, RolloutPlan plan, ModelRef model, Instant since) {
        EndpointRouting r = serving.routing(endpoint).orElseThrow();
        SlotStats fresh = serving.stats(endpoint, a.slot);
        SlotStats old = serving.stats(endpoint, r.stableSlot());
        List<String> notes = new ArrayList<>();
        if (fresh.requests() >= MIN_REQUESTS_FOR_GATE) {
            double errDelta = fresh.errorRate() - old.errorRate();
            if (errDelta > plan.maxErrorRateIncrease()) {
                return String.format("error rate %.4f vs %.4f on the old version (allowed increase %.4f, %d requests)",
                        fresh.errorRate(), old.errorRate(), plan.maxErrorRateIncrease(), fresh.requests());
            }
            if (old.requests() >= MIN_REQUESTS_FOR_GATE) {
                double p99New = fresh.p99Millis();
                double p99Old = old.p99Millis();
                if (p99New > p99Old * plan.maxP99LatencyRatio() && p99New - p99Old > LATENCY_SLACK_MS) {
                    return String.format("p99 latency %.2f ms vs %.2f ms on the old version (allowed ratio %.2f)", p99New, p99Old,
                            plan.maxP99LatencyRatio());
                }
            }
            notes.add(String.format("errors %.4f vs %.4f, p99 %.2f vs %.2f ms", fresh.errorRate(), old.errorRate(),
                    fresh.p99Millis(), old.p99Millis()));
        } else {
            notes.add("only " + fresh.requests() + " requests: error and latency gates inconclusive");
        }
        if (plan.qualityMetric() != null) {
            ServedModel stable = r.stable();
            Optional<QualityProbe.Reading> qNew = quality.read(endpoint, model.model(), model.version(), plan.qualityMetric(), since);
            Optional<QualityProbe.Reading> qOld = quality.read(endpoint, stable.ref().model(), stable.ref().version(),
                    plan.qualityMetric(), since);
            if (qNew.isPresent() && qOld.isPresent() && qNew.get().labelled() >= plan.minLabelled()
                    && qOld.get().labelled() >= plan.minLabelled()) {
                double drop = qOld.get().value() - qNew.get().value();
                if (drop > plan.maxQualityDrop()) {
                    return String.format("live %s %.4f vs %.4f on the old version (%d and %d labelled; allowed drop %.4f)",
                            plan.qualityMetric(), qNew.get().value(), qOld.get().value(), qNew.get().labelled(),
                            qOld.get().labelled(), plan.maxQualityDrop());
                }
                notes.add(String.format("live %s %.4f vs %.4f", plan.qualityMetric(), qNew.get().value(), qOld.get().value()));
            } else {
                notes.add("too few labelled predictions for the " + plan.qualityMetric() + " gate");
            }
        }
        note(endpoint, model, a, "gate", "gate passed at " + a.percent + "%: " + String.join("; ", notes));
        return null;
    }

    private RolloutOutcome end(String endpoint, ModelRef model, Active a, Outcome o, RolloutPlan plan, Instant started) {
        boolean completed = o.kind().equals("completed");
        if (completed) {
            serving.promoteCanary(endpoint, o.reason());
            a.percent = 100;
        } else {
            serving.dropCanary(endpoint);
            a.percent = 0;
            note(endpoint, model, a, o.kind().equals("aborted") ? "abort" : "rollback", o.reason());
        }
        a.phase = o.kind();
        setTraffic(endpoint);
        outcomes.labels(endpoint, o.kind()).inc();
        if (completed && notifier != null) {
            notifier.publish(io.retrainer.core.notify.Event.of("deployment.completed", null, io.retrainer.core.notify.Event.details(
                    "endpoint", endpoint, "model", model.model(), "version", model.version(), "message", o.reason())));
        }
        publish(endpoint, model, plan, a, started);
        LOG.info("rollout of {} at {}: {} - {}", model, endpoint, o.kind(), o.reason());
        return new RolloutOutcome(completed, o.reason());
    }

    /** Sends an operator command to the rollout at {@code endpoint}. */
    public RolloutStatus command(String endpoint, Command command) {
        Active a = active.get(endpoint);
        if (a == null) {
            if (!serving.isKnown(endpoint)) {
                throw new NotFoundException("no endpoint called '" + endpoint + "'");
            }
            throw new ConflictException("endpoint '" + endpoint + "' has no rollout in progress");
        }
        a.command = command;
        return status(endpoint).orElseThrow();
    }

    /** The rollout in progress at {@code endpoint}, or the last one that ended. */
    public Optional<RolloutStatus> status(String endpoint) {
        return Optional.ofNullable(last.get(endpoint));
    }

    private void publish(String endpoint, ModelRef model, RolloutPlan plan, Active a, Instant started) {
        List<String> events;
        synchronized (a.events) {
            events = List.copyOf(a.events);
        }
        last.put(endpoint, new RolloutStatus(endpoint, model.model(), model.version(), a.fromVersion, a.slot, a.phase, a.percent,
                plan.steps(), started, events));
    }

    private void note(String endpoint, ModelRef model, Active a, String action, String message) {
        synchronized (a.events) {
            a.events.add(Instant.now() + " " + message);
        }
        serving.recordEvent(endpoint, model, action, message);
        io.retrainer.core.notify.Notifier n = notifier;
        String type = switch (action) {
            case "rollback", "abort" -> "deployment.rolled_back";
            case "promote-now" -> "deployment.completed";
            default -> "deployment.step";
        };
        if (n != null) {
            n.publish(io.retrainer.core.notify.Event.of(type, null, io.retrainer.core.notify.Event.details("endpoint", endpoint,
                    "model", model.model(), "version", model.version(), "action", action, "percent", a.percent, "message", message)));
        }
    }

    private void setTraffic(String endpoint) {
        serving.routing(endpoint).ifPresent(r -> {
            int canary = r.canary() == null ? 0 : r.canaryPercent();
            traffic.labels(endpoint, r.stableSlot()).set(100 - canary);
            traffic.labels(endpoint, r.idleSlot()).set(canary);
        });
    }
}
