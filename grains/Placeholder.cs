namespace Actors.Grains;
