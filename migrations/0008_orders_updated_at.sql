-- The retention cache checks whether any order changed since its last computation by reading
-- max(orders.updated_at): with this index that is one lookup instead of a pass over every order.
CREATE INDEX orders_updated_at ON orders(updated_at);
