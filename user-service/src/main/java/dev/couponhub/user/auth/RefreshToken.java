package dev.couponhub.user.auth;

import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One refresh token, stored only as the SHA-256 hex of its value. All tokens descending from one login share a
 * {@code familyId}. State changes that must not race are done with conditional updates in
 * {@link RefreshTokenRepository}.
 */
@Entity
@Table(name = "refresh_tokens")
class RefreshToken {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(name = "family_id", nullable = false, length = 32)
    private String familyId;

    @Column(name = "token_hash", nullable = false, columnDefinition = "char(64)")
    private String tokenHash;

    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "rotated_at")
    private Instant rotatedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected RefreshToken() {
        // for JPA
    }

    private RefreshToken(long userId, String familyId, String tokenHash, Instant issuedAt, Instant expiresAt) {
        this.userId = userId;
        this.familyId = familyId;
        this.tokenHash = tokenHash;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    static RefreshToken issue(long userId, String familyId, String tokenHash, Instant now, Duration ttl) {
        return new RefreshToken(userId, familyId, tokenHash, now, now.plus(ttl));
    }

    boolean isRevoked() {
        return revokedAt != null;
    }

    /** Already exchanged for a new token: presenting it again is reuse. */
    boolean isRotated() {
        return rotatedAt != null;
    }

    boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    Long id() {
        return id;
    }

    long userId() {
        return userId;
    }

    String familyId() {
        return familyId;
    }
}
