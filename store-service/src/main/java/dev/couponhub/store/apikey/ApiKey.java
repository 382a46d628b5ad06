package dev.couponhub.store.apikey;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An API key of a store: its name, the first characters of the key (to tell keys apart), and the key's hash. */
@Entity
@Table(name = "store_api_keys")
public class ApiKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "store_id", nullable = false)
    private long storeId;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(nullable = false, length = 16)
    private String prefix;

    @Column(name = "key_hash", nullable = false, columnDefinition = "BINARY(32)")
    private byte[] keyHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    protected ApiKey() {
    }

    ApiKey(long storeId, String name, String prefix, byte[] keyHash, Instant createdAt) {
        this.storeId = storeId;
        this.name = name;
        this.prefix = prefix;
        this.keyHash = keyHash.clone();
        this.createdAt = createdAt;
    }

    public Long id() {
        return id;
    }

    public long storeId() {
        return storeId;
    }

    public String name() {
        return name;
    }

    public String prefix() {
        return prefix;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastUsedAt() {
        return lastUsedAt;
    }
}
