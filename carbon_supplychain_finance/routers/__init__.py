from .pact_router import router as pact_router
