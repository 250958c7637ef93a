# Kernel/Config.pm of the test Znuny that `cargo xtask real-znuny setup` installs (written over
# Config.pm.dist's place; @@…@@ are filled in by xtask/src/real_znuny.rs). Only the database, the
# home folder and the settings docs/real-znuny.md names for a loopback test system.

package Kernel::Config;

use strict;
use warnings;
use utf8;

sub Load {
    my $Self = shift;

    # PostgreSQL of this test system only: its own cluster, reached through its socket folder
    # (no TCP port), its own role and database.
    $Self->{DatabaseHost} = '@@DB_SOCKET_DIR@@';
    $Self->{Database}     = 'znuny';
    $Self->{DatabaseUser} = 'znuny';
    $Self->{DatabasePw}   = '@@DB_PASSWORD@@';
    $Self->{DatabaseDSN}  = "DBI:Pg:dbname=$Self->{Database};host=$Self->{DatabaseHost};";

    $Self->{Home} = '@@HOME@@';

    # The web installer stays off.
    $Self->{SecureMode} = 1;

    # The DNS here answers NXDOMAIN for every domain: without this every customer address is
    # "invalid".
    $Self->{CheckMXRecord} = 0;

    # The stock CheckEmailInvalidAddress refuses @example.*; the test users' domains are let
    # through here instead of weakening that list.
    $Self->{CheckEmailValidAddress}
        = '^(root@localhost|admin@localhost|[a-z0-9.+-]+@example\.com|[a-z0-9.+-]+@helpdesk\.example)$';

    return 1;
}

use Kernel::Config::Defaults;    # import Translatable()
use parent qw(Kernel::Config::Defaults);

1;
