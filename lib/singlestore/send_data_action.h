// The writer as the destination definition's hooks (definition.cpp): functions with the kit's
// signatures, so plugging delivery in is one assignment each.
//
//   kDeliverSendData    = deliverSendData;      // kit::PerformBatch
//   kTestAuthentication = checkAuthentication;  // kit::TestAuthentication
//   kListDatabases      = listDatabaseChoices;  // kit::DynamicField for `database`
#pragma once

#include <span>

#include "kit/requests.h"
#include "kit/result.h"

namespace actions::singlestore {

// performBatch of Send Data. The first call of a run creates the run's SendDataWriter (kept in
// request.state; a host may preset one). Every payload gets its own outcome: refused
// credentials fail with 401, a server that stays unreachable past the retry budget (2 min, or
// the delivery's retryFor / deadline) with 503, a table missing columns with 500. Safe to call
// from several threads.
void deliverSendData(const kit::BatchRequest& request, std::span<kit::EventResult> results);

// testAuthentication: connect, create the table when missing, prove a write (rolled back).
// Throws kit::InvalidAuthenticationError for refused credentials or privileges, and
// kit::IntegrationError for anything else, with the step and the server's reason.
void checkAuthentication(const kit::AuthRequest& request);

// The `database` field's choices: the user databases, or the error that prevented listing them.
kit::DynamicChoices listDatabaseChoices(const kit::DynamicRequest& request);

}  // namespace actions::singlestore
