package dev.couponhub.user.account;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface AccountRepository extends JpaRepository<Account, Long>, ActiveAccounts {

    /** The open account with this (normalised) email, if any. */
    Optional<Account> findByActiveEmail(String email);

    boolean existsByActiveEmail(String email);
}
