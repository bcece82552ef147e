import GRDB

/// The notifier's tables, registered into the host's migrator (they live in the host's database,
/// so a notification is queued in the same transaction as the change it tells of).
///
/// - `notifyAddress`: push tokens and webhook URLs per recipient (email and phone come from the
///   host with each recipient); an address the provider called invalid is disabled, not deleted.
/// - `notifyPreference`: quiet hours (minutes after midnight in a time zone), digest window and
///   rate limit per recipient. `notifyRule`: a channel switched off or on, for one kind or all
///   (`kind = '*'`).
/// - `notifyInbox`: the in-app inbox, one row per event and recipient (unique key).
/// - `notifyMessage`: the durable per-channel queue. One row per event × recipient × channel ×
///   address (unique: never queued twice). `state` is queued, leased (a worker is sending it
///   until `leaseUntil`), delivered, dropped or dead; `notBefore` holds it back (backoff, quiet
///   hours, digest window, rate limit).
/// - `notifyAttempt`: every attempt, with the provider's answer and its latency.
public enum NotifierSchema {
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("notify-1") { db in
            try db.execute(sql: """
                CREATE TABLE notifyAddress (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    recipientId INTEGER NOT NULL,
                    channel TEXT NOT NULL CHECK (channel IN ('push', 'webhook')),
                    platform TEXT CHECK (platform IN ('ios', 'android')),
                    address TEXT NOT NULL,
                    secret TEXT,
                    createdAt DOUBLE NOT NULL,
                    disabledAt DOUBLE,
                    disabledReason TEXT,
                    UNIQUE (recipientId, channel, address)
                );
                CREATE TABLE notifyPreference (
                    recipientId INTEGER PRIMARY KEY,
                    quietStart INTEGER,
                    quietEnd INTEGER,
                    timeZone TEXT,
                    digestSeconds INTEGER NOT NULL DEFAULT 0,
                    ratePerHour INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE notifyRule (
                    recipientId INTEGER NOT NULL,
                    channel TEXT NOT NULL CHECK (channel IN ('inbox', 'email', 'push', 'sms', 'webhook')),
                    kind TEXT NOT NULL,
                    enabled BOOLEAN NOT NULL,
                    PRIMARY KEY (recipientId, channel, kind)
                ) WITHOUT ROWID;
                CREATE TABLE notifyInbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    recipientId INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    link TEXT,
                    createdAt DOUBLE NOT NULL,
                    readAt DOUBLE,
                    archivedAt DOUBLE,
                    UNIQUE (recipientId, key)
                );
                CREATE INDEX notifyInboxUnread ON notifyInbox(recipientId, readAt, archivedAt);
                CREATE TABLE notifyMessage (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    recipientId INTEGER NOT NULL,
                    recipientName TEXT NOT NULL,
                    channel TEXT NOT NULL CHECK (channel IN ('email', 'push', 'sms', 'webhook')),
                    address TEXT NOT NULL,
                    platform TEXT,
                    secret TEXT,
                    key TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    link TEXT,
                    digestKey TEXT,
                    count INTEGER NOT NULL DEFAULT 1,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'leased', 'delivered', 'dropped', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    notBefore DOUBLE NOT NULL,
                    heldFor TEXT,
                    leaseOwner TEXT,
                    leaseUntil DOUBLE,
                    createdAt DOUBLE NOT NULL,
                    updatedAt DOUBLE NOT NULL,
                    lastAnswer TEXT,
                    UNIQUE (key, recipientId, channel, address)
                );
                CREATE INDEX notifyMessageDue ON notifyMessage(channel, state, notBefore);
                CREATE INDEX notifyMessageDigest ON notifyMessage(digestKey) WHERE digestKey IS NOT NULL AND state = 'queued';
                CREATE TABLE notifyAttempt (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    messageId INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    at DOUBLE NOT NULL,
                    worker TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    status TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    latencyMs DOUBLE NOT NULL
                );
                CREATE INDEX notifyAttemptByMessage ON notifyAttempt(messageId);
                """)
        }
    }
}
