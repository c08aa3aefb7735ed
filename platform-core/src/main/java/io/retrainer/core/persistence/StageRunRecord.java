package io.retrainer.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One stage of a run: status, timings, log, progress and metrics (JSON). */
@Entity
@Table(name = "stage_run")
public class StageRunRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "run_id")
    public Long runId;
    public int position;
    public String name;
    public String plugin;
    public String status;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    public String metrics;
    public String log;
    public double progress;
    @Column(name = "progress_message")
    public String progressMessage;
    public String error;
}
