package io.lifeboat.common.retention;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of evaluating a policy: for every snapshot, keep or forget and every reason it is
 * kept. Nothing has changed yet; a plan is what a dry run shows and what {@code forget} then
 * executes.
 *
 * @param policy the policy evaluated
 * @param now the instant holds were checked for expiry
 * @param groups one entry per snapshot group, ordered by the group's display form
 */
public record RetentionPlan(RetentionPolicy policy, Instant now, List<GroupPlan> groups) {

    public RetentionPlan {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");
        groups = List.copyOf(groups);
    }

    /** Keep or forget. */
    public enum Action {
        KEEP, FORGET
    }

    /**
     * The verdict on one snapshot.
     *
     * @param reasons every rule that keeps it, in {@link KeepReason.Rule} order; empty exactly when
     *     the action is {@link Action#FORGET}
     */
    public record Decision(SnapshotRef snapshot, Action action, List<KeepReason> reasons) {
        public Decision {
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(action, "action");
            reasons = List.copyOf(reasons);
            if ((action == Action.KEEP) == reasons.isEmpty()) {
                throw new IllegalArgumentException("a snapshot is kept exactly when it has a reason");
            }
        }

        public boolean kept() {
            return action == Action.KEEP;
        }

        /** True when an active hold keeps the snapshot. */
        public boolean held() {
            return reasons.stream().anyMatch(r -> r.rule() == KeepReason.Rule.HOLD);
        }
    }

    /** The decisions of one group, newest snapshot first. */
    public record GroupPlan(SnapshotGroup group, List<Decision> decisions) {
        public GroupPlan {
            Objects.requireNonNull(group, "group");
            decisions = List.copyOf(decisions);
        }

        public long keepCount() {
            return decisions.stream().filter(Decision::kept).count();
        }

        public long forgetCount() {
            return decisions.size() - keepCount();
        }
    }

    /** Every decision, group by group, newest first within a group. */
    public List<Decision> decisions() {
        return groups.stream().flatMap(g -> g.decisions().stream()).toList();
    }

    public List<SnapshotRef> toKeep() {
        return decisions().stream().filter(Decision::kept).map(Decision::snapshot).toList();
    }

    public List<SnapshotRef> toForget() {
        return decisions().stream().filter(d -> !d.kept()).map(Decision::snapshot).toList();
    }

    public Optional<Decision> decisionFor(String snapshotId) {
        return decisions().stream().filter(d -> d.snapshot().id().equals(snapshotId)).findFirst();
    }

    public long keepCount() {
        return groups.stream().mapToLong(GroupPlan::keepCount).sum();
    }

    public long forgetCount() {
        return groups.stream().mapToLong(GroupPlan::forgetCount).sum();
    }
}
