package dev.couponhub.user.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

interface RefreshTokenRepository extends JpaRepository<RefreshToken, Long> {

    Optional<RefreshToken> findByTokenHash(String tokenHash);

    /**
     * Marks a token as used, only if it is still usable. Returns 1 for the one caller that wins; a concurrent
     * second caller waits for the row lock and then gets 0.
     */
    @Transactional
    @Modifying
    @Query("update RefreshToken t set t.rotatedAt = :now"
            + " where t.id = :id and t.rotatedAt is null and t.revokedAt is null")
    int markRotated(@Param("id") long id, @Param("now") Instant now);

    @Transactional
    @Modifying
    @Query("update RefreshToken t set t.revokedAt = :now where t.familyId = :familyId and t.revokedAt is null")
    int revokeFamily(@Param("familyId") String familyId, @Param("now") Instant now);

    /**
     * The families (sessions) of the user that still have a refresh token that is not revoked, locked until the
     * caller's transaction ends, so that none is missed or added while they are revoked.
     */
    @Query(value = "select distinct family_id from refresh_tokens where user_id = :userId and revoked_at is null"
            + " for update", nativeQuery = true)
    List<String> lockOpenFamiliesOfUser(@Param("userId") long userId);

    @Transactional
    @Modifying
    @Query("update RefreshToken t set t.revokedAt = :now where t.userId = :userId and t.revokedAt is null")
    int revokeAllOfUser(@Param("userId") long userId, @Param("now") Instant now);

    @Transactional
    @Modifying
    @Query("delete from RefreshToken t where t.expiresAt < :before")
    int deleteExpiredBefore(@Param("before") Instant before);
}
