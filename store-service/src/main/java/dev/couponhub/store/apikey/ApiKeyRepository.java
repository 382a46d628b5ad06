package dev.couponhub.store.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface ApiKeyRepository extends JpaRepository<ApiKey, Long> {

    List<ApiKey> findByStoreIdOrderByIdDesc(long storeId);

    long countByStoreId(long storeId);

    /** The key of this hash if its store is active. */
    @Query("select k from ApiKey k, Store s where s.id = k.storeId "
            + "and s.status = dev.couponhub.store.store.StoreStatus.ACTIVE and k.keyHash = :hash")
    Optional<ApiKey> findActiveByHash(@Param("hash") byte[] hash);

    /** Records a use, at most once per {@code before}-to-{@code now} span (no write on every look-up). */
    @Modifying
    @Query("update ApiKey k set k.lastUsedAt = :now "
            + "where k.id = :id and (k.lastUsedAt is null or k.lastUsedAt < :before)")
    int markUsed(@Param("id") long id, @Param("now") Instant now, @Param("before") Instant before);

    @Modifying
    @Query("delete from ApiKey k where k.storeId = :storeId")
    int deleteByStore(@Param("storeId") long storeId);
}
