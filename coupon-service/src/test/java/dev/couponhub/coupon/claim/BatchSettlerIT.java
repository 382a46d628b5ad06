package dev.couponhub.coupon.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.couponhub.coupon.CouponServiceItSupport;
import dev.couponhub.coupon.config.ClaimProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Claim batches left prepared by a writer that died between {@code XA PREPARE} and {@code XA COMMIT} (or that decided
 * a rollback and died before carrying it out): the reaper's {@link BatchSettler#recover()} ends them, committed unless
 * a rollback was recorded, and leaves alone those younger than a claim may take (their writer may still be deciding).
 * The batch here is a prepared XA transaction made by hand on a connection of its own, then closed as a dead process's
 * would be; it holds the coupon's row, as a real batch's count does.
 */
class BatchSettlerIT extends CouponServiceItSupport {

    @Autowired
    BatchSettler settler;

    @Autowired
    DataSource dataSource;

    @Autowired
    ClaimProperties properties;

    @Test
    void preparedBatchOfADeadWriterThenCommittedByTheReaper() throws Exception {
        long couponId = openCoupon(3, 1);
        String xid = oldXid("commit");
        prepareAndDie(xid, couponId, "committed by recovery");

        assertThat(settler.recover()).isGreaterThanOrEqualTo(1);

        assertThat(name(couponId)).isEqualTo("committed by recovery");
        assertThat(preparedXids()).doesNotContain(xid);
        // the coupon's row is free again: claims are written
        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);
    }

    @Test
    void preparedBatchWhoseRollbackWasRecordedThenRolledBackByTheReaper() throws Exception {
        long couponId = openCoupon(3, 1);
        String before = name(couponId);
        String xid = oldXid("rollback");
        prepareAndDie(xid, couponId, "must not stay");
        redis.opsForZSet().add(BatchSettler.ROLLBACKS, xid, System.currentTimeMillis());

        assertThat(settler.recover()).isGreaterThanOrEqualTo(1);

        assertThat(name(couponId)).isEqualTo(before);
        assertThat(preparedXids()).doesNotContain(xid);
        assertThat(redis.opsForZSet().score(BatchSettler.ROLLBACKS, xid)).as("decision forgotten once carried out")
                .isNull();
        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);
    }

    @Test
    void youngPreparedBatchThenLeftToItsWriter() throws Exception {
        long couponId = openCoupon(3, 1);
        String xid = BatchSettler.PREFIX + System.currentTimeMillis() + ".it.young";
        prepareAndDie(xid, couponId, "still deciding");
        try {
            settler.recover();

            assertThat(preparedXids()).contains(xid);
        } finally {
            jdbc.execute("XA ROLLBACK '" + xid + "'");
        }
        assertThat(preparedXids()).doesNotContain(xid);
    }

    @Test
    void xidOfAClaimBatchThenItsCreationTimeRead() {
        assertThat(BatchSettler.bornAt(BatchSettler.PREFIX + "1796471494724.f2be7afe.189")).isEqualTo(1796471494724L);
        assertThat(BatchSettler.bornAt("someone-else.1796471494724")).isNull();
        assertThat(BatchSettler.bornAt(BatchSettler.PREFIX + "garbage")).isNull();
    }

    /** An XID as the writer makes them, older than any claim may take. */
    private String oldXid(String name) {
        long born = System.currentTimeMillis() - properties.longestClaim().plus(Duration.ofSeconds(5)).toMillis();
        return BatchSettler.PREFIX + born + ".it." + name + "." + newUserId();
    }

    /** Prepares a transaction that renames the coupon, then closes its session without ending it. */
    private void prepareAndDie(String xid, long couponId, String newName) throws SQLException {
        HikariDataSource pool = (HikariDataSource) dataSource;
        long session;
        try (Connection own = DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
             Statement statement = own.createStatement()) {
            try (ResultSet id = statement.executeQuery("SELECT CONNECTION_ID()")) {
                id.next();
                session = id.getLong(1);
            }
            statement.execute("XA START '" + xid + "'");
            statement.executeUpdate("UPDATE coupons SET name = '" + newName + "' WHERE id = " + couponId);
            statement.execute("XA END '" + xid + "'");
            statement.execute("XA PREPARE '" + xid + "'");
        }
        // the session is gone once MySQL noticed the close; the transaction stays prepared
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", Long.class,
                session) > 0) {
            assertThat(System.nanoTime() - giveUp).as("session %d ended", session).isNegative();
            Thread.onSpinWait();
        }
        assertThat(preparedXids()).as("prepared, without a session").contains(xid);
    }

    private List<String> preparedXids() {
        return jdbc.query("XA RECOVER", (rs, row) -> rs.getString("data"));
    }

    private String name(long couponId) {
        return jdbc.queryForObject("SELECT name FROM coupons WHERE id = ?", String.class, couponId);
    }
}
