"""What intake's routes ask for: the caller, and the use cases the composition root
provides (app.py), each by its type."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.provided import provided

from ..usecases.contacts import Contacts
from ..usecases.importing import Importing
from ..usecases.participants import ParticipantDesk
from ..usecases.people import People
from ..usecases.programs import ProgramDesk
from ..usecases.registrar import Registrar
from ..usecases.taxonomy import Curation

Registering = Annotated[Registrar, Depends(provided(Registrar))]
Participants = Annotated[ParticipantDesk, Depends(provided(ParticipantDesk))]
Programs = Annotated[ProgramDesk, Depends(provided(ProgramDesk))]
Persons = Annotated[People, Depends(provided(People))]
Taxonomy = Annotated[Curation, Depends(provided(Curation))]
Imports = Annotated[Importing, Depends(provided(Importing))]
Contacting = Annotated[Contacts, Depends(provided(Contacts))]
