-- Issue 19: the import's upkeep links new customers from the referral code on their first order
-- (shopkeep.referrals.link_from_orders). The few orders that carry a code are found through this index
-- instead of a scan of every order; a shop whose orders carry none keeps it empty.
CREATE INDEX orders_referral_code ON orders(customer_id) WHERE referral_code IS NOT NULL;
