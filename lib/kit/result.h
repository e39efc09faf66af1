// One event's answer, in the shape of Segment's multi-status responses. The type is public
// (include/actions/kit/result.h) because hosts and destinations both speak it.
#pragma once

#include "actions/kit/result.h"
