#!/usr/bin/perl
# What the test Znuny needs that its Generic Interface cannot create: customer companies and
# customer users, the agent who answers, the queues with their follow-up policy (not a
# console option), and the ticket dynamic fields with the settings that show them to customers.
# Run by `cargo xtask real-znuny setup` as the web server's user, with Znuny's folders on @INC
# (perl -I <home> -I <home>/Kernel/cpan-lib system.pl). The same people, queues and fields as the
# dev server's demo seed (devserver/src/znuny/seed.rs), so the browser suite's users
# (end2end/lib/fake.mjs, USERS) sign in here too. Tickets come afterwards, through the web
# service itself (seed.mjs).

use strict;
use warnings;
use utf8;

use Kernel::System::ObjectManager;
use Kernel::System::VariableCheck qw(IsHashRefWithData);

local $Kernel::OM = Kernel::System::ObjectManager->new(
    'Kernel::System::Log' => { LogPrefix => 'portal-real-znuny' },
);

my $Companies = [
    {
        CustomerID => 'acme',
        Name       => 'Acme Corp',
        Street     => '1 Rocket Road',
        ZIP        => '12345',
        City       => 'Springfield',
        Comment    => 'COMPANY-NOTE-MARKER agent remark',
    },
    { CustomerID => 'globex', Name => 'Globex Inc', City => 'Cypress Creek' },
];

my $Customers = [
    [ 'alice', 'Alice', 'Anders', 'alice@example.com', 'acme',   'alice-demo' ],
    [ 'carol', 'Carol', 'Chen',   'carol@example.com', 'acme',   'carol-demo' ],
    [ 'bob',   'Bob',   'Brown',  'bob@example.com',   'globex', 'bob-demo' ],
];

# Znuny's follow-up options (table follow_up_possible): 1 possible, 2 reject, 3 new ticket.
my $Queues = [
    { Name => 'Support', FollowUpID => 1 },
    { Name => 'Sales',   FollowUpID => 2 },
];

sub Fail {
    my $Message = shift;
    my $Logged  = $Kernel::OM->Get('Kernel::System::Log')->GetLogEntry(
        Type => 'error',
        What => 'Message',
    ) || '';
    die "system.pl: $Message" . ( $Logged ? " ($Logged)" : '' ) . "\n";
}

my $CompanyObject = $Kernel::OM->Get('Kernel::System::CustomerCompany');
for my $Company ( @{$Companies} ) {
    my %Existing = $CompanyObject->CustomerCompanyGet( CustomerID => $Company->{CustomerID} );
    next if %Existing;
    $CompanyObject->CustomerCompanyAdd(
        CustomerID             => $Company->{CustomerID},
        CustomerCompanyName    => $Company->{Name},
        CustomerCompanyStreet  => $Company->{Street},
        CustomerCompanyZIP     => $Company->{ZIP},
        CustomerCompanyCity    => $Company->{City},
        CustomerCompanyComment => $Company->{Comment},
        CustomerCompanyCountry => 'USA',
        ValidID                => 1,
        UserID                 => 1,
    ) || Fail("cannot add the company $Company->{CustomerID}");
    print "system.pl: company $Company->{CustomerID}\n";
}

my $CustomerUserObject = $Kernel::OM->Get('Kernel::System::CustomerUser');
for my $Customer ( @{$Customers} ) {
    my ( $Login, $First, $Last, $Email, $CustomerID, $Password ) = @{$Customer};
    my %Existing = $CustomerUserObject->CustomerUserDataGet( User => $Login );
    if ( !%Existing ) {
        $CustomerUserObject->CustomerUserAdd(
            Source         => 'CustomerUser',
            UserLogin      => $Login,
            UserFirstname  => $First,
            UserLastname   => $Last,
            UserEmail      => $Email,
            UserCustomerID => $CustomerID,
            ValidID        => 1,
            UserID         => 1,
        ) || Fail("cannot add the customer user $Login");
        print "system.pl: customer user $Login ($CustomerID)\n";
    }
    $CustomerUserObject->SetPassword( UserLogin => $Login, PW => $Password )
        || Fail("cannot set the password of $Login");
}

my $UserObject  = $Kernel::OM->Get('Kernel::System::User');
my $GroupObject = $Kernel::OM->Get('Kernel::System::Group');
my $AgentID     = $UserObject->UserLookup( UserLogin => 'emma', Silent => 1 );
if ( !$AgentID ) {
    $AgentID = $UserObject->UserAdd(
        UserFirstname => 'Emma',
        UserLastname  => 'Agent',
        UserLogin     => 'emma',
        UserEmail     => 'emma@helpdesk.example',
        ValidID       => 1,
        ChangeUserID  => 1,
    ) || Fail('cannot add the agent emma');
    print "system.pl: agent emma\n";
}
$UserObject->SetPassword( UserLogin => 'emma', PW => 'emma-demo' )
    || Fail('cannot set the password of emma');
my $UsersGroupID = $GroupObject->GroupLookup( Group => 'users' ) || Fail('no group "users"');
$GroupObject->PermissionGroupUserAdd(
    GID        => $UsersGroupID,
    UID        => $AgentID,
    Permission => { map { $_ => 1 } qw(ro move_into create note owner priority rw) },
    UserID     => 1,
) || Fail('cannot give emma the group "users"');

my $QueueObject = $Kernel::OM->Get('Kernel::System::Queue');
my %QueueIDs    = reverse $QueueObject->QueueList( Valid => 0 );
for my $Queue ( @{$Queues} ) {
    my $QueueID = $QueueIDs{ $Queue->{Name} };
    if ( !$QueueID ) {
        $QueueID = $QueueObject->QueueAdd(
            Name            => $Queue->{Name},
            GroupID         => $UsersGroupID,
            SystemAddressID => 1,
            SalutationID    => 1,
            SignatureID     => 1,
            FollowUpID      => $Queue->{FollowUpID},
            FollowUpLock    => 0,
            ValidID         => 1,
            UserID          => 1,
            Comment         => 'portal tests',
        ) || Fail("cannot add the queue $Queue->{Name}");
        print "system.pl: queue $Queue->{Name}\n";
    }
    my %Data = $QueueObject->QueueGet( ID => $QueueID );
    next if $Data{FollowUpID} == $Queue->{FollowUpID};
    $QueueObject->QueueUpdate(
        %Data,
        QueueID    => $QueueID,
        FollowUpID => $Queue->{FollowUpID},
        UserID     => 1,
    ) || Fail("cannot set the follow-up policy of $Queue->{Name}");
}

# Ticket dynamic fields, as the dev server's demo seed has them (devserver/src/znuny/seed.rs,
# demo_dynamic_fields): three a customer fills in, which public/config.znuny.json lists under
# znuny.dynamic_fields, and one for agents only that the portal must never show.
my $DynamicFields = [
    {
        Name      => 'Product',
        Label     => 'Product',
        FieldType => 'Dropdown',
        Config    => {
            PossibleValues     => { printer => 'Printer', scanner => 'Scanner', network => 'Network' },
            PossibleNone       => 1,
            DefaultValue       => '',
            TranslatableValues => 0,
            TreeView           => 0,
            Link               => '',
        },
        Customer => 1,
    },
    {
        Name      => 'ContractNumber',
        Label     => 'Contract number',
        FieldType => 'Text',
        Config    => { DefaultValue => '', Link => '' },
        Customer  => 1,
    },
    {
        Name      => 'OrderDate',
        Label     => 'Order date',
        FieldType => 'Date',
        Config    => {
            DefaultValue    => 0,
            YearsInPast     => 0,
            YearsInFuture   => 0,
            YearsPeriod     => 0,
            DateRestriction => '',
            Link            => '',
        },
        Customer => 1,
    },
    {
        Name      => 'AgentNotes',
        Label     => 'Agent notes',
        FieldType => 'TextArea',
        Config    => { DefaultValue => '', Rows => 4, Cols => 40 },
        Customer  => 0,
    },
];

my $DynamicFieldObject = $Kernel::OM->Get('Kernel::System::DynamicField');
my $Order              = 1000;
for my $Field ( @{$DynamicFields} ) {
    $Order++;
    my $Existing = $DynamicFieldObject->DynamicFieldGet( Name => $Field->{Name} );
    next if IsHashRefWithData($Existing);
    $DynamicFieldObject->DynamicFieldAdd(
        Name       => $Field->{Name},
        Label      => $Field->{Label},
        FieldOrder => $Order,
        FieldType  => $Field->{FieldType},
        ObjectType => 'Ticket',
        Config     => $Field->{Config},
        ValidID    => 1,
        UserID     => 1,
    ) || Fail("cannot add the dynamic field $Field->{Name}");
    print "system.pl: dynamic field $Field->{Name} ($Field->{FieldType})\n";
}

# Shown in Znuny's own customer interface too: on its new-ticket screen (1: shown, not required)
# and in its ticket zoom, so customer.pl and the portal offer the same fields.
my %CustomerFields = map { $_->{Name} => 1 } grep { $_->{Customer} } @{$DynamicFields};
$Kernel::OM->Get('Kernel::System::SysConfig')->SettingsSet(
    UserID   => 1,
    Comments => 'portal tests: customer-visible dynamic fields',
    Settings => [
        map { { Name => "Ticket::Frontend::$_###DynamicField", EffectiveValue => {%CustomerFields}, IsValid => 1 } }
            qw(CustomerTicketMessage CustomerTicketZoom)
    ],
) || Fail('cannot show the dynamic fields in the customer interface');

print "system.pl: done\n";
