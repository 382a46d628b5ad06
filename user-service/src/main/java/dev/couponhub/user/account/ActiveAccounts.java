package dev.couponhub.user.account;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Look-ups of open accounts (closed ones are never returned). */
interface ActiveAccounts {

    Optional<Account> findByIdAndClosedAtIsNull(long id);

    /** One query for the whole batch. */
    List<Account> findByIdInAndClosedAtIsNull(Collection<Long> ids);
}
