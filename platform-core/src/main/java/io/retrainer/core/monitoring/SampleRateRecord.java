package io.retrainer.core.monitoring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An endpoint's prediction log sampling rate (table {@code prediction_log_setting}). */
@Entity
@Table(name = "prediction_log_setting")
public class SampleRateRecord {
    @Id
    public String endpoint;
    @Column(name = "sample_rate")
    public double sampleRate;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
