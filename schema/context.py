"""What every resolver gets: the graph as the viewer may know it, the API's policy and this request's loaders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from ..graph.model import Viewer
from ..graph.viewer_graph import ViewerGraph
from .cost import ApiPolicy, CostBudget
from .events import EventBus
from .loaders import Loaders, make_loaders


async def _yes() -> bool:
    return True


async def _nothing(code: int, reason: str) -> None:
    return None


@dataclass
class Context:
    graph: ViewerGraph
    events: EventBus
    policy: ApiPolicy
    budget: CostBudget
    client: str  # whose budget this request spends: a token, an account or an address
    # Whether what signed the viewer in (token, session, leave to act for someone) still holds:
    # a subscription asks before each event it sends.
    still_signed_in: Callable[[], Awaitable[bool]] = _yes
    # Ends the WebSocket this context serves (a code and a reason); nothing over HTTP.
    end_connection: Callable[[int, str], Awaitable[None]] = _nothing
    connection_params: dict[str, object] | None = None  # a WebSocket's connection_init payload
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = make_loaders(self.graph)

    @property
    def viewer(self) -> Viewer:
        return self.graph.viewer

    def refresh(self) -> None:
        """Forget what was loaded: a subscription lives long, and each event must show the graph as it is."""
        self.loaders = make_loaders(self.graph)
