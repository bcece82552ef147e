// DriveEngine
