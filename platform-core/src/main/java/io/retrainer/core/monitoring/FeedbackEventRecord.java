package io.retrainer.core.monitoring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One change of a prediction's feedback, the correction history (table {@code feedback_event}). */
@Entity
@Table(name = "feedback_event")
public class FeedbackEventRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "prediction_id")
    public UUID predictionId;
    /** {@code label} for the first one, {@code correction} after. */
    public String kind;
    public String label;
    public Double value;
    @Column(name = "previous_label")
    public String previousLabel;
    @Column(name = "previous_value")
    public Double previousValue;
    public Instant at;
}
