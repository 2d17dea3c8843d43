"""What every resolver gets: the graph as the viewer may know it, the API's policy and this request's loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..graph.model import Viewer
from ..graph.viewer_graph import ViewerGraph
from .cost import ApiPolicy, CostBudget
from .events import EventBus
from .loaders import Loaders, make_loaders


@dataclass
class Context:
    graph: ViewerGraph
    events: EventBus
    policy: ApiPolicy
    budget: CostBudget
    client: str  # whose budget this request spends: a token, an account or an address
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = make_loaders(self.graph)

    @property
    def viewer(self) -> Viewer:
        return self.graph.viewer

    def refresh(self) -> None:
        """Forget what was loaded: a subscription lives long, and each event must show the graph as it is."""
        self.loaders = make_loaders(self.graph)
