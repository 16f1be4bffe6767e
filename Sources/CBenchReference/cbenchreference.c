#include "cbenchreference.h"
