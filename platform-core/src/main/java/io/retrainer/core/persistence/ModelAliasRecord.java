package io.retrainer.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A named pointer to one version of a model. */
@Entity
@Table(name = "model_alias")
@IdClass(ModelAliasRecord.Key.class)
public class ModelAliasRecord {
    @Id
    @Column(name = "model_name")
    public String modelName;
    @Id
    public String alias;
    public int version;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The composite key. */
    public static class Key implements Serializable {
        public String modelName;
        public String alias;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(modelName, k.modelName) && Objects.equals(alias, k.alias);
        }

        @Override
        public int hashCode() {
            return Objects.hash(modelName, alias);
        }
    }
}
