/**
 * GFS retention, the one implementation shared by {@code lifeboat forget} and the catalog: a
 * {@link io.lifeboat.common.retention.RetentionPolicy} (keep-last, hourly, daily, ISO-weekly,
 * monthly, yearly, within, tag), evaluated per snapshot group in the policy's time zone by
 * {@link io.lifeboat.common.retention.RetentionEvaluator} into a
 * {@link io.lifeboat.common.retention.RetentionPlan} that says for every snapshot whether it is
 * kept and every reason why; legal {@link io.lifeboat.common.retention.Hold}s always win. Pure
 * functions over values: nothing here reads or deletes anything. Semantics: {@code docs/retention.md}.
 */
package io.lifeboat.common.retention;
