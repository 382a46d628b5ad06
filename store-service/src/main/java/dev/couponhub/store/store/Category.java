package dev.couponhub.store.store;

/** What kind of business a store is. */
public enum Category {
    FOOD, CAFE, BEAUTY, FASHION, LIFESTYLE, ENTERTAINMENT, OTHER
}
