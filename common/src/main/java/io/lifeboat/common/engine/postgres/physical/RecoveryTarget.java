package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.engine.postgres.wal.Lsn;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a point-in-time recovery stops: PostgreSQL's {@code recovery_target_*} settings. */
public sealed interface RecoveryTarget {
    /** Replay every WAL record the archive holds. */
    record Latest() implements RecoveryTarget {
    }

    /** Stop before the first transaction that committed after {@code time}. */
    record Time(Instant time) implements RecoveryTarget {
    }

    /** Stop right after the record at {@code lsn}. */
    record AtLsn(Lsn lsn) implements RecoveryTarget {
    }

    /** Stop right after transaction {@code xid} commits. */
    record Xid(long xid) implements RecoveryTarget {
    }

    /** Stop at the restore point {@code name} ({@code pg_create_restore_point}). */
    record Name(String name) implements RecoveryTarget {
    }

    DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    /** The {@code recovery_target_*} settings, without promote and timeline (added by the restore). */
    default Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        switch (this) {
            case Latest l -> {
            }
            case Time t -> m.put("recovery_target_time", PG_TIME.format(t.time()));
            case AtLsn l -> m.put("recovery_target_lsn", l.lsn().toString());
            case Xid x -> m.put("recovery_target_xid", Long.toString(x.xid()));
            case Name n -> m.put("recovery_target_name", n.name());
        }
        return m;
    }

    /** How a report names it. */
    default String describe() {
        return switch (this) {
            case Latest l -> "latest";
            case Time t -> "time " + t.time();
            case AtLsn l -> "lsn " + l.lsn();
            case Xid x -> "xid " + x.xid();
            case Name n -> "restore point '" + n.name() + "'";
        };
    }
}
