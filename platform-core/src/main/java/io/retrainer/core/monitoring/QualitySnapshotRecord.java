package io.retrainer.core.monitoring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One live quality reading recorded at a refresh (table {@code quality_snapshot}). */
@Entity
@Table(name = "quality_snapshot")
public class QualitySnapshotRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String endpoint;
    @Column(name = "model_name")
    public String modelName;
    @Column(name = "model_version")
    public int modelVersion;
    public String slot;
    public String metric;
    public double value;
    public long labelled;
    @Column(name = "window_seconds")
    public long windowSeconds;
    public Instant at;
}
