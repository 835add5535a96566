package io.lifeboat.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.LocalInfraExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalInfraExtension.class)
class PostgresServerIT {

    @Test
    void answersOverJdbcAsVersion15ReadyForWalStreaming(LocalInfra infra) throws SQLException {
        try (Connection c = DriverManager.getConnection(infra.pgJdbcUrl(), infra.pgUser(), infra.pgPassword());
             Statement st = c.createStatement()) {
            assertThat(scalar(st, "select version()")).startsWith("PostgreSQL 15.");
            assertThat(scalar(st, "show wal_level")).isEqualTo("replica");
            assertThat(Integer.parseInt(scalar(st, "show max_wal_senders"))).isGreaterThanOrEqualTo(10);
            assertThat(scalar(st, "select rolsuper::text from pg_roles where rolname = current_user")).isEqualTo("true");
            st.execute("create temporary table t(id int primary key, v text)");
            st.execute("insert into t values (1, 'one'), (2, 'two')");
            assertThat(scalar(st, "select string_agg(v, ',' order by id) from t")).isEqualTo("one,two");
        }
    }

    @Test
    void wrongPasswordIsRefused(LocalInfra infra) {
        assertThatThrownBy(() -> DriverManager.getConnection(infra.pgJdbcUrl(), infra.pgUser(), infra.pgPassword() + "x"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
