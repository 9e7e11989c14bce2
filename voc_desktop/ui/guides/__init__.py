"""Writing guides: the editor and its model, with the guide check beside each question.
Imports ui/common and services/; never another feature folder."""
