package io.retrainer.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A pipeline run: written as {@code queued} before anything executes. */
@Entity
@Table(name = "run")
public class RunRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "pipeline_id")
    public Long pipelineId;
    @Column(name = "pipeline_name")
    public String pipelineName;
    public int revision;
    public String status;
    @Column(name = "trigger_type")
    public String triggerType;
    @Column(name = "trigger_reason")
    public String triggerReason;
    public String error;
    public long seed;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    public String verdict;
    @Column(name = "verdict_reason")
    public String verdictReason;
    @Column(name = "model_name")
    public String modelName;
    @Column(name = "model_version")
    public Integer modelVersion;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
}
