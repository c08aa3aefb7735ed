package io.retrainer.core.monitoring;

import io.retrainer.core.persistence.Db;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * The SQL behind live quality: one statement per set of predictions aggregates accuracy, macro F1,
 * ROC AUC (Mann-Whitney over ranks, ties averaged), MAE and RMSE in the database, so nothing is
 * computed per request and no prediction rows travel to the JVM.
 *
 * <p>Windows are by prediction time ({@code prediction.created_at}). The feedback-side condition
 * {@code f.created_at >= :from} changes no result (feedback always follows its prediction) but lets
 * the planner start from the usually much smaller feedback table.
 */
final class QualityQueries {
    private static final String SQL = """
            with lp as (
              select p.predicted_label as pred, f.label as actual, p.positive_class as pc, p.positive_score as score,
                     p.predicted_value as predicted, f.value as truth
              from feedback f join prediction p on p.request_id = f.prediction_id
              where f.endpoint = :e and f.created_at >= :from and %s
                and p.created_at >= :from and p.created_at < :to
            ),
            cls as (select pred, actual, pc, score from lp where pred is not null and actual is not null),
            per_class as (
              select c.c,
                     count(*) filter (where cls.pred = c.c and cls.actual = c.c) as tp,
                     count(*) filter (where cls.pred = c.c and cls.actual <> c.c) as fp,
                     count(*) filter (where cls.actual = c.c and cls.pred <> c.c) as fn
              from (select pred as c from cls union select actual from cls) c cross join cls
              group by c.c
            ),
            ranked as (
              select (actual = pc) as y,
                     rank() over (order by score) + (count(*) over (partition by score) - 1) / 2.0 as r
              from cls where pc is not null and score is not null
            ),
            auc as (
              select count(*) filter (where y) as pos, count(*) filter (where not y) as neg,
                     sum(r) filter (where y) as rank_sum
              from ranked
            ),
            reg as (
              select count(*) as n, avg(abs(predicted - truth)) as mae, sqrt(avg((predicted - truth) * (predicted - truth))) as rmse
              from lp where pred is null and predicted is not null and truth is not null
            )
            select (select count(*) from cls) as classified,
                   cast((select avg(case when pred = actual then 1.0 else 0.0 end) from cls) as double precision) as accuracy,
                   cast((select avg(2.0 * tp / (2 * tp + fp + fn)) from per_class) as double precision) as f1,
                   cast((select case when pos > 0 and neg > 0 and (select count(distinct pc) from cls) = 1
                                     then (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg) end from auc) as double precision) as auc,
                   (select n from reg) as regressed,
                   cast((select mae from reg) as double precision) as mae,
                   cast((select rmse from reg) as double precision) as rmse
            """;
    private static final String ENDPOINT_SCOPE = "p.endpoint = :e and p.shadow = false";
    private static final String VERSION_SCOPE = "p.endpoint = :e and p.model_name = :m and p.model_version = :v and p.shadow = :sh";

    private final Db db;

    QualityQueries(Db db) {
        this.db = db;
    }

    /** Every metric over the live predictions of {@code endpoint} made in [from, to). */
    Future<QualityNumbers> endpoint(String endpoint, Instant from, Instant to) {
        return db.stateless(s -> s.createNativeQuery(SQL.formatted(ENDPOINT_SCOPE), Object[].class)
                .setParameter("e", endpoint).setParameter("from", from).setParameter("to", to)
                .getSingleResult()).map(QualityQueries::numbers);
    }

    /** Every metric over one version's live (or, with {@code shadow}, mirrored) predictions in [from, to). */
    Future<QualityNumbers> version(String endpoint, String model, int version, boolean shadow, Instant from, Instant to) {
        return db.stateless(s -> s.createNativeQuery(SQL.formatted(VERSION_SCOPE), Object[].class)
                .setParameter("e", endpoint).setParameter("m", model).setParameter("v", version).setParameter("sh", shadow)
                .setParameter("from", from).setParameter("to", to)
                .getSingleResult()).map(QualityQueries::numbers);
    }

    private static QualityNumbers numbers(Object[] row) {
        return new QualityNumbers(count(row[0]), dbl(row[1]), dbl(row[2]), dbl(row[3]), count(row[4]), dbl(row[5]), dbl(row[6]));
    }

    private static long count(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static Double dbl(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }
}
