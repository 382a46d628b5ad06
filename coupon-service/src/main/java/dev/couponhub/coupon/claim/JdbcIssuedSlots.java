package dev.couponhub.coupon.claim;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@link IssuedSlots} streamed from MySQL: the driver hands the rows over as they arrive (a fetch size of
 * {@code Integer.MIN_VALUE} is Connector/J's streaming mode) instead of reading the whole result first, in the order
 * of the unique key {@code (coupon_id, per_user_limit, user_id, user_seq)}, so no sort either.
 */
@Component
class JdbcIssuedSlots implements IssuedSlots {

    private static final String SLOTS = "SELECT seq, user_id, user_seq FROM issued_coupons WHERE coupon_id = ? "
            + "ORDER BY per_user_limit, user_id, user_seq";

    private final JdbcTemplate jdbc;

    JdbcIssuedSlots(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void forEach(long couponId, Slot slot) {
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(SLOTS, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(Integer.MIN_VALUE);
            statement.setLong(1, couponId);
            return statement;
        }, (ResultSet rs) -> {
            slot.accept(rs.getLong(1), rs.getLong(2), rs.getInt(3));
        });
    }

    /**
     * In the order of the unique key {@code (coupon_id, user_id, claim_day, day_seq)} (a user's rows one after the
     * other, no sort): the coupon's rows, those of the day kept.
     */
    @Override
    public void forEachOfDay(long couponId, LocalDate day, DaySlot slot) {
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("SELECT user_id, day_seq FROM issued_coupons "
                    + "WHERE coupon_id = ? AND claim_day = ? ORDER BY user_id, day_seq", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(Integer.MIN_VALUE);
            statement.setLong(1, couponId);
            statement.setObject(2, day);
            return statement;
        }, (ResultSet rs) -> {
            slot.accept(rs.getLong(1), rs.getInt(2));
        });
    }
}
