package io.retrainer.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** When a pipeline's trigger last fired, and why. */
@Entity
@Table(name = "trigger_state")
public class TriggerStateRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "pipeline_id")
    public Long pipelineId;
    @Column(name = "trigger_key")
    public String triggerKey;
    @Column(name = "last_fired_at")
    public Instant lastFiredAt;
    @Column(name = "last_reason")
    public String lastReason;
}
